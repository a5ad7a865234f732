<%@ Page Language="C#" %>
<%@ Import Namespace="System.Data.SqlClient" %>
<%@ Import Namespace="System.Web.Security" %>
<%@ Import Namespace="System.Configuration" %>
<script runat="server">
protected void btnLogin_Click(object sender, EventArgs e)
{
    string user = Request.Form["user"];
    string pwd = Request.Form["pwd"];
    string stored = null, salt = null;
    using (var conn = new SqlConnection(ConfigurationManager.ConnectionStrings["Admin"].ConnectionString))
    using (var cmd = new SqlCommand("SELECT PwdHash, Salt FROM Operators WHERE Login = @u", conn))
    {
        cmd.Parameters.AddWithValue("@u", user ?? "");
        conn.Open();
        using (var rd = cmd.ExecuteReader())
            if (rd.Read()) { stored = rd.GetString(0); salt = rd.GetString(1); }
    }
    if (stored != null && FormsAuthentication.HashPasswordForStoringInConfigFile(salt + pwd, "SHA1") == stored)
        FormsAuthentication.RedirectFromLoginPage(user, false);
    else
        lblError.Text = "Wrong user name or password.";
}
</script>
<html><body><form runat="server">
User <input type="text" name="user" /> Password <input type="password" name="pwd" />
<asp:Button runat="server" Text="Sign in" OnClick="btnLogin_Click" />
<asp:Label ID="lblError" runat="server" ForeColor="Red" />
</form></body></html>
