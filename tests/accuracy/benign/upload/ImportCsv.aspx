<%@ Page Language="C#" %>
<%@ Import Namespace="System.IO" %>
<%@ Import Namespace="System.Collections.Generic" %>
<script runat="server">
protected void Page_Load(object sender, EventArgs e)
{
    HttpPostedFile csv = Request.Files["csv"];
    if (csv == null || csv.ContentLength == 0) return;
    var rows = new List<string[]>();
    using (var reader = new StreamReader(csv.InputStream))
    {
        string line;
        while ((line = reader.ReadLine()) != null && rows.Count < 5000)
            rows.Add(line.Split(','));
    }
    gvPreview.DataSource = rows.ConvertAll(r => new { Sku = r[0], Qty = r.Length > 1 ? r[1] : "" });
    gvPreview.DataBind();
    lblCount.Text = rows.Count + " rows read; press Import to apply.";
}
</script>
<html><body><form runat="server" enctype="multipart/form-data">
<input type="file" name="csv" accept=".csv" /> <input type="submit" value="Preview" />
<asp:Label ID="lblCount" runat="server" />
<asp:GridView ID="gvPreview" runat="server" />
</form></body></html>
