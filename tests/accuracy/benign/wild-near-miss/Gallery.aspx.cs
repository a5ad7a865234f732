using System;
using System.IO;
using System.Web.UI;
public partial class Gallery : Page
{
    protected void Page_Load(object sender, EventArgs e)
    {
        string album = Path.GetFileName(Request.QueryString["album"] ?? "default");
        string dir = Path.Combine(Server.MapPath("~/photos"), album);
        if (!Directory.Exists(dir))
            return;
        foreach (string f in Directory.GetFiles(dir, "*.jpg"))
            Response.Write("<img src='photos/" + album + "/" + Path.GetFileName(f) + "'/>");
    }
}
