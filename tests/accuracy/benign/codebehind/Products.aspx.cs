using System;
using System.Configuration;
using System.Data;
using System.Data.SqlClient;
using System.Web;
using System.Web.UI;

namespace Contoso.Shop
{
    public partial class Products : Page
    {
        private const int PageSize = 20;

        protected void Page_Load(object sender, EventArgs e)
        {
            if (IsPostBack) return;
            int page;
            if (!int.TryParse(Request.QueryString["page"], out page) || page < 1) page = 1;
            string term = Request.QueryString["q"] ?? string.Empty;
            txtSearch.Text = term;
            BindGrid(term, page);
        }

        protected void btnSearch_Click(object sender, EventArgs e)
        {
            Response.Redirect("Products.aspx?q=" + HttpUtility.UrlEncode(txtSearch.Text.Trim()) + "&page=1");
        }

        private void BindGrid(string term, int page)
        {
            string cs = ConfigurationManager.ConnectionStrings["Shop"].ConnectionString;
            using (var conn = new SqlConnection(cs))
            using (var cmd = new SqlCommand(
                "SELECT ProductID, Name, Price FROM Products WHERE Name LIKE @term " +
                "ORDER BY Name OFFSET @skip ROWS FETCH NEXT @take ROWS ONLY", conn))
            {
                cmd.Parameters.AddWithValue("@term", "%" + term + "%");
                cmd.Parameters.AddWithValue("@skip", (page - 1) * PageSize);
                cmd.Parameters.AddWithValue("@take", PageSize);
                var table = new DataTable();
                new SqlDataAdapter(cmd).Fill(table);
                gvProducts.DataSource = table;
                gvProducts.DataBind();
            }
            lblPage.Text = "Page " + page;
            lnkPrev.NavigateUrl = "Products.aspx?q=" + HttpUtility.UrlEncode(term) + "&page=" + Math.Max(1, page - 1);
            lnkNext.NavigateUrl = "Products.aspx?q=" + HttpUtility.UrlEncode(term) + "&page=" + (page + 1);
        }
    }
}
