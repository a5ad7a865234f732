using System;
using System.Web.UI;

namespace Contoso.Shop
{
    public partial class SiteMaster : MasterPage
    {
        protected string UserName
        {
            get { return Context.User != null && Context.User.Identity.IsAuthenticated ? Context.User.Identity.Name : "guest"; }
        }

        protected void Page_Init(object sender, EventArgs e)
        {
            if (Request.Url.Scheme != "https" && !Request.IsLocal)
                Response.Redirect("https://" + Request.Url.Host + Request.RawUrl, true);
        }
    }
}
