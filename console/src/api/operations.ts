import { graphql } from '../gql';

export const OrganizationQuery = graphql(`
  query Organization {
    organization {
      id
      name
      notificationEmails
      userLicenseLimit
      userCount
    }
  }
`);

export const UpdateOrganizationMutation = graphql(`
  mutation UpdateOrganization($input: OrganizationSettingsInput!) {
    updateOrganizationSettings(input: $input) {
      id
      name
      notificationEmails
      userLicenseLimit
      userCount
    }
  }
`);

export const ConnectorsQuery = graphql(`
  query Connectors {
    connectors {
      id
      displayLabel
      kind
      state
      importJobs(first: 1) {
        id
        status
        createdAt
        finishedAt
      }
      importSchedule {
        enabled
        nextRunAt
      }
    }
  }
`);

export const ImportJobUpdatesSubscription = graphql(`
  subscription ImportJobUpdates {
    importJobUpdates {
      jobId
      status
      percent
      counts {
        fetched
      }
      job {
        connector {
          id
        }
      }
    }
  }
`);

export const ConnectorQuery = graphql(`
  query Connector($id: ID!) {
    connector(id: $id) {
      id
      displayLabel
      description
      kind
      state
      baseUrl
      authMethod
      authSummary
      authorized
      listUsers {
        path
        resourceLocation
        totalCountSource
        totalCountLocation
        limitParam
        offsetParam
        pageSize
        pagination
        firstPage
        cursorPath
        nextUrlPath
        extraHeaderNames
      }
      mapping {
        entries {
          target
          sourcePath
          transform
        }
        externalIdPath
        statusPath
        statusTransform
        inactiveStatuses
        activeStatuses
      }
      importJobs(first: 10) {
        id
        status
        trigger
        operations
        createdAt
        finishedAt
        counts {
          created
          updated
          suspended
          failed
        }
      }
    }
  }
`);

export const CreateCustomApiConnectorMutation = graphql(`
  mutation CreateCustomApiConnector($input: CustomApiConnectorInput!) {
    createCustomApiConnector(input: $input) {
      id
      authMethod
    }
  }
`);

export const CreateScimConnectorMutation = graphql(`
  mutation CreateScimConnector($input: ScimConnectorInput!) {
    createScimConnector(input: $input) {
      id
      authMethod
    }
  }
`);

export const UpdateConnectorMutation = graphql(`
  mutation UpdateConnector($id: ID!, $input: ConnectorUpdateInput!) {
    updateConnector(id: $id, input: $input) {
      id
      authMethod
    }
  }
`);

export const BeginOAuthMutation = graphql(`
  mutation BeginOAuth($connectorId: ID!) {
    beginOAuthAuthorization(connectorId: $connectorId) {
      authorizationUrl
    }
  }
`);

export const TestConnectionMutation = graphql(`
  mutation TestConnection($connectorId: ID!) {
    testConnection(connectorId: $connectorId) {
      ok
      httpStatus
      message
      providerResponse
      totalCount
      sampleSize
    }
  }
`);

export const UserSchemaPreviewQuery = graphql(`
  query UserSchemaPreview($connectorId: ID!) {
    userSchemaPreview(connectorId: $connectorId, limit: 5) {
      sample
      fields {
        path
        type
        example
      }
    }
  }
`);

export const MappedUserPreviewQuery = graphql(`
  query MappedUserPreview($connectorId: ID!) {
    mappedUserPreview(connectorId: $connectorId, limit: 5) {
      externalId
      attributes
      errors
    }
  }
`);

export const SetAttributeMappingMutation = graphql(`
  mutation SetAttributeMapping($connectorId: ID!, $input: AttributeMappingInput!) {
    setAttributeMapping(connectorId: $connectorId, input: $input) {
      id
      state
    }
  }
`);

export const ActivateConnectorMutation = graphql(`
  mutation ActivateConnector($connectorId: ID!) {
    activateConnector(connectorId: $connectorId) {
      id
      state
    }
  }
`);

export const DeactivateConnectorMutation = graphql(`
  mutation DeactivateConnector($connectorId: ID!) {
    deactivateConnector(connectorId: $connectorId) {
      id
      state
    }
  }
`);

export const StartImportMutation = graphql(`
  mutation StartImport($input: StartImportInput!) {
    startImport(input: $input) {
      id
      status
    }
  }
`);

export const CancelImportMutation = graphql(`
  mutation CancelImport($jobId: ID!) {
    cancelImport(jobId: $jobId) {
      id
      status
    }
  }
`);

export const ImportCandidatesQuery = graphql(`
  query ImportCandidates($connectorId: ID!, $query: String) {
    importCandidates(connectorId: $connectorId, query: $query) {
      totalCount
      nodes {
        externalId
        email
        username
        displayname
        status
      }
    }
  }
`);

export const ImportJobQuery = graphql(`
  query ImportJob($id: ID!, $outcome: ImportOutcome, $after: String) {
    importJob(id: $id) {
      id
      status
      trigger
      operations
      allowUserReactivation
      query
      startedBy
      createdAt
      startedAt
      finishedAt
      error
      resultsDownloadUrl
      dryRun
      suspendMissingUsers
      approvedBy
      warnings
      brakeTrip {
        plannedSuspensions
        activeUsers
        maxSuspensions
        maxSuspensionPercent
        at
      }
      connector {
        id
        displayLabel
      }
      progress {
        phase
        total
        processed
        percent
      }
      counts {
        fetched
        created
        updated
        suspended
        reactivated
        unchanged
        skipped
        failed
      }
      results(first: 100, outcome: $outcome, after: $after) {
        totalCount
        nodes {
          externalId
          email
          username
          outcome
          detail
          changes {
            attribute
            from
            to
          }
          user {
            id
          }
        }
        pageInfo {
          endCursor
          hasNextPage
        }
      }
    }
  }
`);

export const ApproveImportMutation = graphql(`
  mutation ApproveImport($jobId: ID!) {
    approveImport(jobId: $jobId) {
      id
      status
      approvedBy
    }
  }
`);

export const ImportJobProgressSubscription = graphql(`
  subscription ImportJobProgress($jobId: ID!) {
    importJobProgress(jobId: $jobId) {
      status
      phase
      total
      processed
      percent
      counts {
        fetched
        created
        updated
        suspended
        reactivated
        unchanged
        skipped
        failed
      }
    }
  }
`);

export const ImportScheduleQuery = graphql(`
  query ImportSchedule($id: ID!) {
    connector(id: $id) {
      id
      kind
      importBrake {
        enabled
        maxSuspensions
        maxSuspensionPercent
      }
      importSchedule {
        suspendMissingUsers
        pausedBy {
          id
          createdAt
        }
        enabled
        allowUserReactivation
        operations {
          userCreate
          userUpdate
        }
        query
        sendEmail
        minuteOfHour
        nextRunAt
        lastJob {
          id
          status
          finishedAt
        }
      }
    }
  }
`);

export const SetImportScheduleMutation = graphql(`
  mutation SetImportSchedule($input: ImportScheduleInput!) {
    setImportSchedule(input: $input) {
      enabled
      minuteOfHour
      nextRunAt
    }
  }
`);

export const SetImportBrakeMutation = graphql(`
  mutation SetImportBrake($connectorId: ID!, $input: ImportBrakeInput!) {
    setImportBrake(connectorId: $connectorId, input: $input) {
      enabled
      maxSuspensions
      maxSuspensionPercent
    }
  }
`);

export const UsersQuery = graphql(`
  query Users($filter: UserFilter, $after: String) {
    users(filter: $filter, first: 50, after: $after) {
      totalCount
      nodes {
        id
        email
        username
        displayname
        firstname
        lastname
        state
        passwordStatus
        importedFrom {
          id
          displayLabel
        }
      }
      pageInfo {
        endCursor
        hasNextPage
      }
    }
  }
`);

export const UserQuery = graphql(`
  query User($id: ID!) {
    user(id: $id) {
      id
      email
      username
      firstname
      lastname
      middlename
      displayname
      jobTitle
      department
      costCenter
      employeeType
      employeeIdentifier
      organization
      state
      passwordStatus
      createdAt
      updatedAt
      addresses {
        type
        streetAddress
        locality
        region
        postalCode
        country
      }
      phoneNumbers {
        type
        number
      }
      importedFrom {
        id
        displayLabel
      }
      createdByImport {
        id
      }
    }
    directoryEvents(userId: $id, first: 50) {
      ...EventFields
    }
  }
`);

export const EventFields = graphql(`
  fragment EventFields on DirectoryEvent {
    id
    type
    occurredAt
    actor
    changes
    user {
      id
      email
    }
    connector {
      id
      displayLabel
    }
    importJob {
      id
    }
  }
`);

export const DirectoryEventsQuery = graphql(`
  query DirectoryEvents($connectorId: ID) {
    directoryEvents(connectorId: $connectorId, first: 100) {
      ...EventFields
    }
  }
`);

export const ImportHoldsQuery = graphql(`
  query ImportHolds {
    importHolds(first: 50) {
      id
      kind
      actor
      occurredAt
      plannedSuspensions
      activeUsers
      connector {
        id
        displayLabel
      }
      importJob {
        id
      }
    }
  }
`);
