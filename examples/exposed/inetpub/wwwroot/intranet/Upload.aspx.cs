using System;
using System.Configuration;
using System.IO;
using System.Web.UI;

namespace Intranet
{
    public partial class UploadPage : Page
    {
        static readonly string[] Allowed = { ".pdf", ".docx", ".xlsx" };
        const int MaxBytes = 10 * 1024 * 1024;

        protected void Send_Click(object sender, EventArgs e)
        {
            if (!Doc.HasFile)
            {
                Msg.Text = "Choose a file first.";
                return;
            }
            if (Doc.PostedFile.ContentLength > MaxBytes)
            {
                Msg.Text = "The file is larger than 10 MB.";
                return;
            }
            string original = Path.GetFileName(Doc.FileName);
            string ext = Path.GetExtension(original).ToLowerInvariant();
            if (Array.IndexOf(Allowed, ext) < 0)
            {
                Msg.Text = "Only PDF, Word and Excel files are accepted.";
                return;
            }
            string folder = Server.MapPath(ConfigurationManager.AppSettings["UploadFolder"]);
            string stored = Guid.NewGuid().ToString("N") + ext;
            Doc.SaveAs(Path.Combine(folder, stored));
            Msg.Text = "Received " + Server.HtmlEncode(original) + ".";
        }
    }
}
