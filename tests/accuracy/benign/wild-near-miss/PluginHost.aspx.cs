using System;
using System.Reflection;
using System.Web.UI;
public partial class PluginHost : Page
{
    protected void Page_Load(object sender, EventArgs e)
    {
        if (Request.Params.Get("plugin") != null)
        {
            Guid id = new Guid(Request.Params.Get("plugin"));
            string path = Server.MapPath("~/bin/Plugins.dll");
            Assembly a = Assembly.LoadFrom(path);
            Type t = a.GetType("Plugins.P" + id.ToString("N"));
        }
    }
}
