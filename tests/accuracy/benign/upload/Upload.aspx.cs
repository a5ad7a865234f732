using System;
using System.IO;
using System.Linq;
using System.Web.UI;

namespace Contoso.Docs
{
    public partial class Upload : Page
    {
        private static readonly string[] Allowed = { ".pdf", ".docx", ".xlsx", ".png", ".jpg" };
        private const int MaxBytes = 10 * 1024 * 1024;

        protected void btnUpload_Click(object sender, EventArgs e)
        {
            if (!FileUpload1.HasFile)
            {
                lblMessage.Text = "Choose a file first.";
                return;
            }
            string ext = Path.GetExtension(FileUpload1.FileName).ToLowerInvariant();
            if (!Allowed.Contains(ext))
            {
                lblMessage.Text = "This file type is not allowed.";
                return;
            }
            if (FileUpload1.PostedFile.ContentLength > MaxBytes)
            {
                lblMessage.Text = "The file is larger than 10 MB.";
                return;
            }
            FileUpload1.SaveAs(Server.MapPath("~/Uploads/") + Path.GetFileName(FileUpload1.FileName));
            lblMessage.Text = "Uploaded.";
        }
    }
}
