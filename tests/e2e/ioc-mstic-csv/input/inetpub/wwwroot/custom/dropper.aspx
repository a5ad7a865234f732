<%@ Page Language="C#" %>
<html><head><title>Custom</title></head><body><p>Custom pages for the finance team.</p></body></html>
