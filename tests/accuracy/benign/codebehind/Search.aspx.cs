using System;
using System.Linq;
using System.Web.UI;
using Contoso.Intranet.Index;

namespace Contoso.Intranet
{
    public partial class Search : Page
    {
        protected string Query { get; private set; }

        protected void Page_Load(object sender, EventArgs e)
        {
            Query = (Request.QueryString["q"] ?? "").Trim();
            if (Query.Length > 200) Query = Query.Substring(0, 200);
            if (!IsPostBack && Query.Length > 0)
            {
                q.Text = Query;
                var hits = SearchIndex.Open(Server.MapPath("~/App_Data/index")).Find(Query, 50);
                results.DataSource = hits.Select(h => new { h.Url, Title = Server.HtmlEncode(h.Title), Snippet = Server.HtmlEncode(h.Snippet) });
                results.DataBind();
            }
        }

        protected void go_Click(object sender, EventArgs e)
        {
            Response.Redirect("~/Search.aspx?q=" + Server.UrlEncode(q.Text));
        }
    }
}
