// Cosmos DB (NoSQL, serverless, session consistency): the database and every container the bot
// uses. Invariant: `cosmosContainers` mirrors the container definitions of
// src/persistence/containers.ts (name, partition key, TTL, excluded index paths; `defaultTtl: 0`
// means no TTL, -1 TTL per item only). The code only creates missing containers, so a container created here keeps these
// settings; tests/unit/deploy/bicep-containers.test.ts fails when the two drift apart.

param accountName string
param location string
param databaseName string

var cosmosContainers = [
  {
    name: 'checkpoints'
    partitionKey: '/threadId'
    defaultTtl: -1
    excludedPaths: [
      {
        path: '/checkpoint/*'
      }
      {
        path: '/metadata/*'
      }
      {
        path: '/value/*'
      }
      {
        path: '/data/*'
      }
      {
        path: '/writes/*'
      }
      {
        path: '/"_etag"/?'
      }
    ]
  }
  {
    name: 'memory'
    partitionKey: '/pk'
    defaultTtl: 0
    excludedPaths: [
      {
        path: '/"_etag"/?'
      }
    ]
  }
  {
    name: 'approvals'
    partitionKey: '/id'
    defaultTtl: 0
    excludedPaths: [
      {
        path: '/"_etag"/?'
      }
    ]
  }
  {
    name: 'audit'
    partitionKey: '/userKey'
    defaultTtl: 0
    excludedPaths: [
      {
        path: '/"_etag"/?'
      }
    ]
  }
  {
    name: 'dedupe'
    partitionKey: '/id'
    defaultTtl: 604800
    excludedPaths: [
      {
        path: '/"_etag"/?'
      }
    ]
  }
  {
    name: 'leases'
    partitionKey: '/id'
    defaultTtl: 0
    excludedPaths: [
      {
        path: '/"_etag"/?'
      }
    ]
  }
  {
    name: 'tokenCache'
    partitionKey: '/id'
    defaultTtl: 0
    excludedPaths: [
      {
        path: '/value/?'
      }
      {
        path: '/"_etag"/?'
      }
    ]
  }
  {
    name: 'approvalIndex'
    partitionKey: '/key'
    defaultTtl: 0
    excludedPaths: [
      {
        path: '/"_etag"/?'
      }
    ]
  }
  {
    name: 'references'
    partitionKey: '/tenantId'
    defaultTtl: 0
    excludedPaths: [
      {
        path: '/"_etag"/?'
      }
    ]
  }
  {
    name: 'blobs'
    partitionKey: '/ownerKey'
    defaultTtl: 0
    excludedPaths: [
      {
        path: '/data/?'
      }
      {
        path: '/"_etag"/?'
      }
    ]
  }
]

resource account 'Microsoft.DocumentDB/databaseAccounts@2023-04-15' = {
  name: accountName
  location: location
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    consistencyPolicy: {
      defaultConsistencyLevel: 'Session'
    }
    locations: [
      {
        locationName: location
        failoverPriority: 0
        isZoneRedundant: false
      }
    ]
    capabilities: [
      {
        name: 'EnableServerless'
      }
    ]
    disableLocalAuth: false
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2023-04-15' = {
  parent: account
  name: databaseName
  properties: {
    resource: {
      id: databaseName
    }
  }
}

resource containers 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2023-04-15' = [for c in cosmosContainers: {
  parent: database
  name: c.name
  properties: {
    resource: union({
      id: c.name
      partitionKey: {
        paths: [
          c.partitionKey
        ]
        kind: 'Hash'
        version: 2
      }
      indexingPolicy: {
        indexingMode: 'consistent'
        automatic: true
        includedPaths: [
          {
            path: '/*'
          }
        ]
        excludedPaths: c.excludedPaths
      }
    }, c.defaultTtl != 0 ? {
      defaultTtl: c.defaultTtl
    } : {})
  }
}]

output accountName string = account.name
output endpoint string = account.properties.documentEndpoint
