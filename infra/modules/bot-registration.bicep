// Azure Bot registration (single tenant) with the Microsoft Teams channel and no other. Also deployed
// on its own by teamsapp.local.yml, pointing at a dev tunnel.
//
// Teams is the only channel the bot serves (bot/trust-boundary.ts refuses any other channelId): Web
// Chat and Direct Line let their caller write `from` and `conversation` as it likes. No Direct Line
// channel is declared here. Web Chat is different: Azure creates it with an enabled "Default Site"
// along with every bot ("When you create a bot with Azure, the Web Chat channel is automatically
// configured for you", Azure AI Bot Service docs, "Connect a bot to Web Chat"), so it is declared
// below with that site disabled; Web Chat only serves through an enabled site.

@maxLength(64)
param resourceBaseName string

@maxLength(42)
param botDisplayName string

param botAadAppClientId string
param botAadAppTenantId string

@description('Public host name that serves /api/messages (the Web App, or a dev tunnel).')
param botAppDomain string

@allowed([
  'F0'
  'S1'
])
param botServiceSku string = 'F0'

resource botService 'Microsoft.BotService/botServices@2022-09-15' = {
  name: resourceBaseName
  location: 'global'
  kind: 'azurebot'
  sku: {
    name: botServiceSku
  }
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${botAppDomain}/api/messages'
    msaAppId: botAadAppClientId
    msaAppType: 'SingleTenant'
    msaAppTenantId: botAadAppTenantId
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: botService
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
  }
}

resource webChatChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: botService
  name: 'WebChatChannel'
  location: 'global'
  properties: {
    channelName: 'WebChatChannel'
    properties: {
      sites: [
        {
          siteName: 'Default Site'
          isEnabled: false
          isWebchatPreviewEnabled: false
        }
      ]
    }
  }
}

output BOT_ID string = botAadAppClientId
