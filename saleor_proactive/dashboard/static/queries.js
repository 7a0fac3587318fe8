/* The GraphQL documents the app page sends to the merchant API. */
const TRIGGER_FIELDS = "id version name enabled priority showType document";
export const QUERIES = {
  me: "{ installation { saleorApiUrl canWrite userEmail } }",
  offersNote: "{ installation { offersUnavailable } }",
  triggers: "{ triggers(first: 200) { items { " + TRIGGER_FIELDS + " } } }",
  stats: "query($from: Date!, $to: Date!) { stats(from: $from, to: $to) { triggerId impressions clicks } }",
  results: "query($from: Date!, $to: Date!) { stats(from: $from, to: $to) { triggerId impressions clicks chats chatOrders dismissals conversions revenue { amount currency } discountGiven { amount currency } control { visitors } uplift { absolute low high } verdict moreVisitorsNeeded } dailyStats(from: $from, to: $to) { day impressions clicks conversions heldOut } }",
  csvLink: "query($from: Date!, $to: Date!) { statsCsvLink(from: $from, to: $to) }",
  validate: "query($input: TriggerInput!) { validateTrigger(input: $input) { field message } }",
  create: "mutation($input: TriggerInput!) { createTrigger(input: $input) { trigger { " + TRIGGER_FIELDS + " } errors { field message } } }",
  update: "mutation($id: ID!, $input: TriggerInput!) { updateTrigger(id: $id, input: $input) { trigger { " + TRIGGER_FIELDS + " } errors { field message } } }",
  remove: "mutation($id: ID!) { deleteTrigger(id: $id) { deletedId errors { field message } } }",
  warnings: "query($input: TriggerInput!, $id: ID) { triggerWarnings(input: $input, id: $id) { code field message triggerId } }",
  channels: "{ catalogChannels { slug name currency } }",
  products: "query($search: String!, $ids: [ID!]) { catalogProducts(search: $search, first: 20, ids: $ids) { id name } }",
  categories: "query($search: String!, $ids: [ID!]) { catalogCategories(search: $search, first: 20, ids: $ids) { id name } }",
  settings: "{ settings { document } }",
  theme: "{ settings { snippetTheme } }",
  saveSettings: "mutation($input: SettingsInput!) { updateSettings(input: $input) { settings { document } errors { field message } } }",
  thresholds: "{ freeShippingThresholds { channel channelName currency country disabled fromSaleor { amount currency } override { amount currency } effective { amount currency } countries { country fromSaleor { amount currency } effective { amount currency } } } }",
  simulate: "query($visitor: VisitorInput!) { simulate(visitor: $visitor) { actions { triggerId type slot showAfterMs message cta } outcomes { triggerId name fired shown holdout reasons } errors { field message } } }",
  preview: "{ installation { previewToken { fragment expiresAt } } }",
  reminderResults: "query($from: Date!, $to: Date!) { reminderResults(from: $from, to: $to) { steps { step sent clicked recoveredOrders revenue { amount currency } } remindedCheckouts remindedRecovered controlCheckouts controlRecovered uplift { absolute low high } verdict moreCheckoutsNeeded } }",
  reminderPreview: "query($locale: String!) { reminderPreview(locale: $locale) { subject html } }",
  reminderTest: "mutation($locale: String!) { remindersSendTest(locale: $locale) { sentTo errors { field message } } }",
  // The mail server the reminders (and the chat's offline mail) are sent through; its
  // password is never read back.
  mailServer: "{ mailServer { configured host port sender tls username } }",
  setMailServer: "mutation($url: String!) { setMailServer(url: $url) { errors { field message } } }",
  clearMailServer: "mutation { clearMailServer { errors { field message } } }",
  snippet: "query($channel: String!) { installation { snippet(channel: $channel) } }",
};
