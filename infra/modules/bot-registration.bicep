// Azure Bot registration (single tenant) with the Microsoft Teams channel. Also deployed on its own
// by teamsapp.local.yml, pointing at a dev tunnel.

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

output BOT_ID string = botAadAppClientId
