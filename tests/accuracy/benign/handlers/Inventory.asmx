<%@ WebService Language="C#" Class="Contoso.Services.Inventory" %>
using System;
using System.Collections.Generic;
using System.Web.Services;

namespace Contoso.Services
{
    [WebService(Namespace = "http://contoso.com/inventory/")]
    [WebServiceBinding(ConformsTo = WsiProfiles.BasicProfile1_1)]
    public class Inventory : WebService
    {
        private static readonly Dictionary<string, int> Stock = new Dictionary<string, int>
        {
            { "MUG-01", 120 }, { "TOWEL-02", 48 }, { "PEN-10", 900 }
        };

        [WebMethod(Description = "Units in stock for a SKU")]
        public int GetStock(string sku)
        {
            int n;
            return sku != null && Stock.TryGetValue(sku.ToUpperInvariant(), out n) ? n : 0;
        }

        [WebMethod]
        public string[] ListSkus()
        {
            return new List<string>(Stock.Keys).ToArray();
        }

        [WebMethod(EnableSession = true)]
        public string WhoAmI()
        {
            return Context.User.Identity.Name + " from " + Context.Request.UserHostAddress;
        }
    }
}
