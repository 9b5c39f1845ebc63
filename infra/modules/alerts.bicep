// Alerts as code, mailed to the operators: a dead-letter queue that is not empty, new parked
// messages, function failures, and no order received for a while within business hours.
param location string
param tags object
param environmentName string
param alertEmail string
param serviceBusId string
param appInsightsId string
param noOrderAlertMinutes int
param businessHoursUtc object

@description('Failed function invocations in 15 minutes that raise the alert.')
param failedInvocationsThreshold int = 5

resource operators 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: 'ag-orderhub-${environmentName}'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: take('hub${environmentName}', 12)
    enabled: true
    emailReceivers: [{ name: 'operators', emailAddress: alertEmail, useCommonAlertSchema: true }]
  }
}

// Any message dead-lettered on any queue: Service Bus gave up on it (max delivery count, expiry).
resource deadLetters 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: 'orderhub-${environmentName}-dead-letters'
  location: 'global'
  tags: tags
  properties: {
    description: 'A Service Bus dead-letter queue is not empty: see the README, Operations.'
    severity: 1
    enabled: true
    scopes: [serviceBusId]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT5M'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          name: 'deadLettered'
          criterionType: 'StaticThresholdCriterion'
          metricNamespace: 'Microsoft.ServiceBus/namespaces'
          metricName: 'DeadletteredMessages'
          dimensions: [{ name: 'EntityName', operator: 'Include', values: ['*'] }]
          operator: 'GreaterThan'
          threshold: 0
          timeAggregation: 'Maximum'
        }
      ]
    }
    actions: [{ actionGroupId: operators.id }]
  }
}

// Function invocations that failed (an exception, a 5xx).
resource failures 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: 'orderhub-${environmentName}-function-failures'
  location: 'global'
  tags: tags
  properties: {
    description: 'Function invocations are failing: trace the orders with npx hub trace.'
    severity: 2
    enabled: true
    scopes: [appInsightsId]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          name: 'failedRequests'
          criterionType: 'StaticThresholdCriterion'
          metricNamespace: 'microsoft.insights/components'
          metricName: 'requests/failed'
          operator: 'GreaterThanOrEqual'
          threshold: failedInvocationsThreshold
          timeAggregation: 'Count'
        }
      ]
    }
    actions: [{ actionGroupId: operators.id }]
  }
}

// Messages the hub parked (each function logs "…parked…" with its code when it parks one).
resource parked 'Microsoft.Insights/scheduledQueryRules@2022-06-15' = {
  name: 'orderhub-${environmentName}-parked'
  location: location
  tags: tags
  properties: {
    description: 'New parked messages: list them with npx hub parked list, replay after a fix.'
    severity: 2
    enabled: true
    scopes: [appInsightsId]
    evaluationFrequency: 'PT15M'
    windowSize: 'PT15M'
    criteria: {
      allOf: [
        {
          query: 'traces | where message has "parked" | summarize parked = count()'
          metricMeasureColumn: 'parked'
          timeAggregation: 'Total'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 }
        }
      ]
    }
    actions: { actionGroups: [operators.id] }
  }
}

// A stock run that failed or ended Partial (each run logs "stock <kind> run <id> <status>: ..."), and
// a SKU the shop kept changing while the hub set it, run after run (refused STOCK.KEPT_CHANGING).
resource stockRuns 'Microsoft.Insights/scheduledQueryRules@2022-06-15' = {
  name: 'orderhub-${environmentName}-stock-runs'
  location: location
  tags: tags
  properties: {
    description: 'A stock sync run failed, or a SKU keeps conflicting: see npx hub inventory runs, and npx hub inventory show <sku>.'
    severity: 2
    enabled: true
    scopes: [appInsightsId]
    evaluationFrequency: 'PT15M'
    windowSize: 'PT1H'
    criteria: {
      allOf: [
        {
          query: 'traces | where message startswith "stock " and message has " run " | extend failed = message has " Failed:", conflicting = message has "STOCK.KEPT_CHANGING" | summarize failedRuns = countif(failed), conflictingRuns = countif(conflicting) | extend alarms = failedRuns + iff(conflictingRuns >= 3, conflictingRuns, 0)'
          metricMeasureColumn: 'alarms'
          timeAggregation: 'Total'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 }
        }
      ]
    }
    actions: { actionGroups: [operators.id] }
  }
}

// The ECP has sent no order for a while within business hours: its events may not be reaching the hub.
resource noOrders 'Microsoft.Insights/scheduledQueryRules@2022-06-15' = {
  name: 'orderhub-${environmentName}-no-orders'
  location: location
  tags: tags
  properties: {
    description: 'No order received for ${noOrderAlertMinutes} minutes within business hours: check the ECP topic and its subscription.'
    severity: 2
    enabled: true
    scopes: [appInsightsId]
    evaluationFrequency: 'PT15M'
    windowSize: 'PT${noOrderAlertMinutes}M'
    criteria: {
      allOf: [
        {
          query: 'requests | where operation_Name == "orderEventsProcessor" | summarize received = count() | extend hour = datetime_part("hour", now()) | where received == 0 and hour between (${businessHoursUtc.first} .. ${businessHoursUtc.last})'
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 }
        }
      ]
    }
    actions: { actionGroups: [operators.id] }
  }
}
