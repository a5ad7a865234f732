using System;
using System.Configuration;
using System.Data.SqlClient;
using System.Web.UI;

namespace Contoso.Shop
{
    public partial class OrderDetails : Page
    {
        private int orderId;

        protected void Page_Load(object sender, EventArgs e)
        {
            if (!int.TryParse(Request.QueryString["id"], out orderId))
            {
                Response.Redirect("~/NotFound.aspx", true);
                return;
            }
            litOrderId.Text = orderId.ToString();
            if (!IsPostBack)
            {
                using (var conn = new SqlConnection(ConfigurationManager.ConnectionStrings["Shop"].ConnectionString))
                using (var cmd = new SqlCommand("SELECT * FROM Orders WHERE OrderID = @id", conn))
                {
                    cmd.Parameters.AddWithValue("@id", orderId);
                    conn.Open();
                    using (SqlDataReader rd = cmd.ExecuteReader())
                    {
                        dvOrder.DataSource = rd;
                        dvOrder.DataBind();
                    }
                }
            }
        }

        protected void btnCancel_Click(object sender, EventArgs e)
        {
            using (var conn = new SqlConnection(ConfigurationManager.ConnectionStrings["Shop"].ConnectionString))
            using (var cmd = new SqlCommand("UPDATE Orders SET Status = 'Cancelled' WHERE OrderID = @id", conn))
            {
                cmd.Parameters.AddWithValue("@id", orderId);
                conn.Open();
                cmd.ExecuteNonQuery();
            }
            Response.Redirect("OrderDetails.aspx?id=" + orderId);
        }
    }
}
