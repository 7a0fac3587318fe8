/* The AppBridge handshake with the Saleor Dashboard and calls to the merchant GraphQL API. */
export const params = new URLSearchParams(window.location.search);
const state = { token: null, saleorApiUrl: params.get("saleorApiUrl") || "", listeners: {}, waiters: [] };

function originOf(url) {
  try { return url ? new URL(url).origin : null; } catch (e) { return null; }
}

// Messages are trusted only from the Dashboard that framed us: the referrer's origin (the
// Dashboard's page), remembered for this tab, because reloading the frame alone makes the
// referrer our own page (or nothing). Without either, a Dashboard served by the Saleor API host.
const ORIGIN_KEY = "saleor-proactive:dashboard-origin:" + state.saleorApiUrl;
export const framed = window.parent !== window;
const dashboardOrigin = pickDashboardOrigin();

function pickDashboardOrigin() {
  const fromReferrer = originOf(document.referrer);
  const remembered = readRemembered();
  if (fromReferrer && fromReferrer !== window.location.origin) {
    try { window.sessionStorage.setItem(ORIGIN_KEY, fromReferrer); } catch (e) { /* storage off */ }
    return fromReferrer;
  }
  return remembered || originOf(state.saleorApiUrl);
}

function readRemembered() {
  try { return window.sessionStorage.getItem(ORIGIN_KEY); } catch (e) { return null; }
}

export function on(type, handler) { (state.listeners[type] = state.listeners[type] || []).push(handler); }
function emit(type, payload) { (state.listeners[type] || []).forEach(function (h) { h(payload); }); }

function onMessage(event) {
  if (!dashboardOrigin || event.origin !== dashboardOrigin || event.source !== window.parent) return;
  const message = event.data;
  if (!message || typeof message !== "object" || typeof message.type !== "string") return;
  const payload = message.payload && typeof message.payload === "object" ? message.payload : {};
  if (message.type === "handshake" || message.type === "tokenRefresh") {
    if (typeof payload.token !== "string" || !payload.token) return;
    const first = state.token === null;
    state.token = payload.token;
    state.waiters.splice(0).forEach(function (resolve) { resolve(true); });
    // Theme and locale come as their own events; a handshake that carries them is heeded too.
    if (typeof payload.theme === "string") emit("theme", payload.theme);
    if (typeof payload.locale === "string") emit("locale", payload.locale);
    emit(first ? "ready" : "token", payload);
  } else if (message.type === "theme" && typeof payload.theme === "string") {
    emit("theme", payload.theme);
  } else if (message.type === "localeChanged" && typeof payload.locale === "string") {
    emit("locale", payload.locale);
  }
}

function notifyReady() {
  if (!dashboardOrigin || window.parent === window) return;
  const actionId = "ready-" + Math.random().toString(36).slice(2);
  window.parent.postMessage({ type: "notifyReady", payload: { actionId: actionId } }, dashboardOrigin);
}

export function start() {
  window.addEventListener("message", onMessage);
  notifyReady();
}

// Dashboard tokens live five minutes; asking again (notifyReady) brings a fresh handshake.
function freshToken(timeoutMs) {
  return new Promise(function (resolve) {
    state.waiters.push(resolve);
    notifyReady();
    window.setTimeout(function () { resolve(false); }, timeoutMs);
  });
}

export async function graphql(query, variables, retried) {
  if (!state.token) throw new Error("no token yet");
  const response = await post(query, variables);
  if (response.status === 401 && !retried && await freshToken(5000)) {
    return graphql(query, variables, true);
  }
  return read(response);
}

/** Asks the Dashboard to open `url` in a new tab (AppBridge `redirect`): the app's frame is
    sandboxed and may neither download files nor open windows itself. */
export function openInNewTab(url) {
  if (!dashboardOrigin || !framed) return;
  const actionId = "open-" + Math.random().toString(36).slice(2);
  window.parent.postMessage({ type: "redirect", payload: { to: url, newContext: true, actionId: actionId } }, dashboardOrigin);
}

function post(query, variables) {
  return fetch(document.body.dataset.apiUrl, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "Authorization-Bearer": state.token,
      "Saleor-Api-Url": state.saleorApiUrl,
    },
    body: JSON.stringify({ query: query, variables: variables || {} }),
  });
}

async function read(response) {
  let body = null;
  try { body = await response.json(); } catch (e) { body = null; }
  if (!response.ok && !(body && body.data)) {
    const problem = body && (body.error || (body.errors && body.errors[0]));
    throw new Error((problem && problem.message) || ("HTTP " + response.status));
  }
  if (body.errors && body.errors.length && !body.data) throw new Error(body.errors[0].message);
  return body;
}
