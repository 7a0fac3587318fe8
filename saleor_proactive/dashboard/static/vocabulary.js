/* The names the app's Python code defines (page types, devices, chat providers, positions...),
   embedded by the page as JSON (dashboard/vocabulary.py), so no list is copied by hand here. */
const VOCABULARY = JSON.parse(document.getElementById("vocabulary").textContent);

export const PAGE_TYPES = VOCABULARY.pageTypes;
export const DEVICES = VOCABULARY.devices;
export const CHAT_PROVIDERS = VOCABULARY.chatProviders;
export const THEME_POSITIONS = VOCABULARY.themePositions;
export const BAR_POSITIONS = VOCABULARY.barPositions;
export const DAYS = VOCABULARY.days;
export const SECOND_TEXT = VOCABULARY.secondText;
// Leaf -> "categoryIds" | "productIds": lists of Saleor ids, picked from the catalogue.
export const CATALOGUE_LEAVES = VOCABULARY.catalogueLeaves;
export const LEAVES = VOCABULARY.leaves;
