<%@ Page Language="C#" %>
<%@ Import Namespace="System.Data" %>
<%@ Import Namespace="System.Linq" %>
<script runat="server">
// A discount code looks like SPRING10: letters, then the percentage.
decimal EvaluateDiscount(string code)
{
    if (string.IsNullOrEmpty(code) || code.Length > 16) return 0m;
    string digits = new string(code.Where(char.IsDigit).ToArray());
    int pct;
    return int.TryParse(digits, out pct) && pct <= 30 ? pct / 100m : 0m;
}

protected void Page_Load(object sender, EventArgs e)
{
    DataTable cart = (DataTable)(Session["cart"] ?? new DataTable());
    object total = cart.Columns.Contains("Price") ? cart.Compute("SUM(Price)", "") : 0m;
    decimal sum = total is DBNull ? 0m : Convert.ToDecimal(total);
    decimal off = EvaluateDiscount(Request["code"]);
    lblTotal.Text = (sum * (1 - off)).ToString("C");
}
</script>
<html><body><form runat="server">Total: <asp:Label ID="lblTotal" runat="server" /></form></body></html>
