using System;
using System.Web.UI;

namespace Intranet
{
    public partial class DefaultPage : Page
    {
        protected void Page_Load(object sender, EventArgs e)
        {
            UserName.Text = Server.HtmlEncode(User.Identity.Name);
            string tab = Request.QueryString["tab"];
            bool links = string.Equals(tab, "links", StringComparison.OrdinalIgnoreCase);
            News.Visible = !links;
            Links.Visible = links;
        }
    }
}
