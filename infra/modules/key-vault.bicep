// Key Vault holding every secret the bot reads. Only the Web App's managed identity may read
// secrets (get); app settings point here with Key Vault references, never with secret values.

param name string
param location string
param readerPrincipalId string
param cosmosAccountName string

@secure()
param botClientSecret string

@secure()
param tokenCacheKey string

@secure()
param azureOpenAiApiKey string = ''

resource cosmos 'Microsoft.DocumentDB/databaseAccounts@2023-04-15' existing = {
  name: cosmosAccountName
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: false
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    accessPolicies: [
      {
        tenantId: subscription().tenantId
        objectId: readerPrincipalId
        permissions: {
          secrets: [
            'get'
          ]
        }
      }
    ]
  }
}

resource botClientSecretEntry 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'bot-client-secret'
  properties: {
    value: botClientSecret
  }
}

resource tokenCacheKeyEntry 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'token-cache-key'
  properties: {
    value: tokenCacheKey
  }
}

resource cosmosKeyEntry 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'cosmos-key'
  properties: {
    value: cosmos.listKeys().primaryMasterKey
  }
}

resource azureOpenAiApiKeyEntry 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(azureOpenAiApiKey)) {
  parent: vault
  name: 'azure-openai-api-key'
  properties: {
    value: azureOpenAiApiKey
  }
}

output name string = vault.name
output botClientSecretUri string = '${vault.properties.vaultUri}secrets/${botClientSecretEntry.name}'
output tokenCacheKeyUri string = '${vault.properties.vaultUri}secrets/${tokenCacheKeyEntry.name}'
output cosmosKeyUri string = '${vault.properties.vaultUri}secrets/${cosmosKeyEntry.name}'
output azureOpenAiApiKeyUri string = empty(azureOpenAiApiKey) ? '' : '${vault.properties.vaultUri}secrets/azure-openai-api-key'
