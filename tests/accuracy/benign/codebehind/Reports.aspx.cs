using System;
using System.Globalization;
using System.IO;
using System.Text;
using System.Web.UI;

namespace Contoso.Shop
{
    public partial class Reports : Page
    {
        protected void btnExport_Click(object sender, EventArgs e)
        {
            DateTime from;
            if (!DateTime.TryParse(Request.Form["txtFrom"], CultureInfo.InvariantCulture, DateTimeStyles.None, out from))
                from = DateTime.Today.AddDays(-30);
            var csv = new StringBuilder("OrderID,Date,Total\r\n");
            foreach (var row in SalesData.Since(from))
                csv.AppendFormat(CultureInfo.InvariantCulture, "{0},{1:yyyy-MM-dd},{2}\r\n", row.OrderId, row.Date, row.Total);
            string folder = Server.MapPath("~/App_Data/exports");
            Directory.CreateDirectory(folder);
            string file = Path.Combine(folder, "sales-" + DateTime.UtcNow.ToString("yyyyMMddHHmmss") + ".csv");
            File.WriteAllText(file, csv.ToString());
            lblStatus.Text = "Saved " + Path.GetFileName(file);
        }
    }
}
