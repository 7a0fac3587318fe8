/* English and Spanish texts of the app page; the Dashboard's locale picks one. */
const TEXTS = {
  en: {
    tabResults: "Results", results: "Results", rPreset: "Period", last7: "Last 7 days",
    last30: "Last 30 days", last90: "Last 90 days", customRange: "Custom dates", rShow: "Show",
    downloadCsv: "Download CSV", colDismissals: "Dismissals", colConversions: "Orders",
    colRevenue: "Revenue", discountGiven: "discount given", colUplift: "Uplift (95 % interval)", colVerdict: "Verdict",
    colDay: "Day", colHeldOut: "Held out", colImpressionsAll: "Impressions", colClicksAll: "Clicks", total: "Total", pp: "pp",
    likelyHelps: "Likely helps", likelyHurts: "Likely hurts", notEnoughData: "Not enough data yet",
    needMoreVisitors: "Not enough data yet — about {n} more visitors needed",
    holdoutNote: "Hold-out: {n} visitors in this period were kept out of a prompt on purpose (the control group). Comparing how often they ordered with those who saw it is what the uplift measures.",
    rangeShown: "From {from} to {to} (UTC days).", badRange: "Choose a start date on or before the end date.",
    chartTitle: "Impressions and clicks per day (lines) and orders (bars); the numbers are in the table below.",
    dailyNumbers: "Numbers per day", noResults: "No triggers in this period.",
    outsideDashboard: "This page is the Saleor Proactive app's page inside the Saleor Dashboard. Open it there: Apps → Saleor Proactive.",
    title: "Saleor Proactive", waiting: "Waiting for the Saleor Dashboard…",
    tabTriggers: "Triggers", tabSettings: "Settings", tabShipping: "Free shipping",
    tabSimulator: "Simulator", tabInstall: "Installation", triggers: "Triggers",
    newTrigger: "New trigger", colName: "Name", colType: "Type", colEnabled: "Enabled",
    colPriority: "Priority", colImpressions: "Impressions (7 days)", colClicks: "Clicks (7 days)",
    colActions: "Actions", noTriggers: "No triggers yet.", editTrigger: "Trigger",
    newTriggerTitle: "New trigger", fName: "Name", fPriority: "Priority", fEnabled: "Enabled",
    fChannels: "Channels (comma-separated, empty for all)", fConditions: "Conditions",
    fMatch: "Show when", matchAll: "all conditions hold", matchAny: "any condition holds",
    addCondition: "Add condition", fShow: "What the visitor sees", fType: "Type",
    chatPrompt: "Chat prompt", freeShippingNotice: "Free-shipping notice",
    addLanguage: "Add language", fFrequency: "Frequency and hold-out", fMaxPerVisitor: "At most",
    fPer: "per", perSession: "session", perDay: "day", perVisitor: "visitor (lifetime)",
    fCooldown: "Cooldown (minutes)", fHoldout: "Hold-out (% of visitors, 0–50)",
    fSchedule: "Schedule (optional)", fScheduled: "Only at these times", fTimezone: "Time zone",
    fFrom: "From", fTo: "To", jsonView: "JSON view", applyJson: "Apply JSON to the form",
    save: "Save", cancel: "Cancel", edit: "Edit", delete: "Delete",
    confirmDelete: "Click again to delete", colChannel: "Channel", colCountry: "Country",
    colThreshold: "Free shipping from", colSource: "Override",
    shippingHelp: "Thresholds come from your shipping methods in Saleor. An override replaces them for a channel.",
    noThresholds: "No free-shipping method found.", simulate: "Simulate",
    simulatorHelp: "Describe a visitor and see what they would be shown, and why.",
    installHelp: "Paste this tag into your storefront's HTML, once per page.", copy: "Copy",
    copied: "Copied.", saved: "Saved.", deleted: "Deleted.", language: "Language",
    message: "Message", cta: "Button text", reachedMessage: "Message once reached",
    remove: "Remove", leaf: "Condition", operator: "Operator", value: "Value",
    invalidJson: "The JSON is not valid.", readOnly: "You can look but not change anything (MANAGE_APPS is needed).",
    nothingShown: "Nothing would be shown.", shown: "shown", fired: "conditions hold",
    holdout: "hold-out (control group)", notFired: "not shown", showAfter: "after",
    seconds: "s", error: "Something went wrong.", yes: "yes", no: "no",
    sChat: "Chat provider", sWhatsapp: "WhatsApp number", sOrigins: "Storefront origins (one per line, empty for any)",
    sPatterns: "Page types by URL (one per line: pattern, then type)", sConsent: "Ask for consent before tracking",
    sColour: "Colour", sTextColour: "Text colour", sPosition: "Position", sBarPosition: "Free-shipping bar",
    sQuiet: "Quiet period after a dismissal (minutes)", sWindow: "Attribution window (days)", sRetention: "Keep visitor data (days)",
    off: "off", override: "Override", vChannel: "Channel", vPageType: "Page type", vUrl: "URL",
    vTimeOnPage: "Time on page (s)", vTimeOnSite: "Time on site (s)", vPagesViewed: "Pages viewed",
    vProductsViewed: "Products viewed", vMaxPrice: "Most expensive product viewed", vCartValue: "Cart value",
    vCartItems: "Cart items", vCheckoutId: "Checkout id (uses Saleor's cart)", vLocale: "Locale",
    vDevice: "Device", vCountry: "Country", vVisitCount: "Visit number", vReturning: "Returning visitor",
    vExitIntent: "About to leave",
    days: { mon: "Mon", tue: "Tue", wed: "Wed", thu: "Thu", fri: "Fri", sat: "Sat", sun: "Sun" },
  },
  es: {
    tabResults: "Resultados", results: "Resultados", rPreset: "Periodo", last7: "Últimos 7 días",
    last30: "Últimos 30 días", last90: "Últimos 90 días", customRange: "Fechas a elegir", rShow: "Mostrar",
    downloadCsv: "Descargar CSV", colDismissals: "Descartes", colConversions: "Pedidos",
    colRevenue: "Ingresos", discountGiven: "descuento dado", colUplift: "Mejora (intervalo del 95 %)", colVerdict: "Veredicto",
    colDay: "Día", colHeldOut: "Excluidos", colImpressionsAll: "Impresiones", colClicksAll: "Clics", total: "Total", pp: "pp",
    likelyHelps: "Probablemente ayuda", likelyHurts: "Probablemente perjudica", notEnoughData: "Aún no hay datos suficientes",
    needMoreVisitors: "Aún no hay datos suficientes: faltan unos {n} visitantes",
    holdoutNote: "Grupo de control: {n} visitantes de este periodo no vieron un mensaje a propósito. Comparar cuántos compraron con los que sí lo vieron es lo que mide la mejora.",
    rangeShown: "Del {from} al {to} (días UTC).", badRange: "Elige una fecha de inicio igual o anterior a la final.",
    chartTitle: "Impresiones y clics por día (líneas) y pedidos (barras); los números están en la tabla de abajo.",
    dailyNumbers: "Números por día", noResults: "No hay disparadores en este periodo.",
    outsideDashboard: "Esta es la página de la app Saleor Proactive dentro del Dashboard de Saleor. Ábrela allí: Apps → Saleor Proactive.",
    title: "Saleor Proactive", waiting: "Esperando al Dashboard de Saleor…",
    tabTriggers: "Disparadores", tabSettings: "Ajustes", tabShipping: "Envío gratis",
    tabSimulator: "Simulador", tabInstall: "Instalación", triggers: "Disparadores",
    newTrigger: "Nuevo disparador", colName: "Nombre", colType: "Tipo", colEnabled: "Activo",
    colPriority: "Prioridad", colImpressions: "Impresiones (7 días)", colClicks: "Clics (7 días)",
    colActions: "Acciones", noTriggers: "Todavía no hay disparadores.", editTrigger: "Disparador",
    newTriggerTitle: "Nuevo disparador", fName: "Nombre", fPriority: "Prioridad", fEnabled: "Activo",
    fChannels: "Canales (separados por comas, vacío para todos)", fConditions: "Condiciones",
    fMatch: "Mostrar cuando", matchAll: "se cumplen todas", matchAny: "se cumple alguna",
    addCondition: "Añadir condición", fShow: "Qué ve el visitante", fType: "Tipo",
    chatPrompt: "Invitación al chat", freeShippingNotice: "Aviso de envío gratis",
    addLanguage: "Añadir idioma", fFrequency: "Frecuencia y grupo de control", fMaxPerVisitor: "Como máximo",
    fPer: "por", perSession: "sesión", perDay: "día", perVisitor: "visitante (siempre)",
    fCooldown: "Pausa (minutos)", fHoldout: "Grupo de control (% de visitantes, 0–50)",
    fSchedule: "Horario (opcional)", fScheduled: "Solo en este horario", fTimezone: "Zona horaria",
    fFrom: "Desde", fTo: "Hasta", jsonView: "Vista JSON", applyJson: "Aplicar el JSON al formulario",
    save: "Guardar", cancel: "Cancelar", edit: "Editar", delete: "Eliminar",
    confirmDelete: "Pulsa otra vez para eliminar", colChannel: "Canal", colCountry: "País",
    colThreshold: "Envío gratis desde", colSource: "Valor propio",
    shippingHelp: "Los umbrales salen de tus métodos de envío en Saleor. Un valor propio los sustituye en un canal.",
    noThresholds: "No hay ningún método de envío gratis.", simulate: "Simular",
    simulatorHelp: "Describe a un visitante y mira qué vería, y por qué.",
    installHelp: "Pega esta etiqueta en el HTML de tu tienda, una vez por página.", copy: "Copiar",
    copied: "Copiado.", saved: "Guardado.", deleted: "Eliminado.", language: "Idioma",
    message: "Mensaje", cta: "Texto del botón", reachedMessage: "Mensaje al alcanzarlo",
    remove: "Quitar", leaf: "Condición", operator: "Operador", value: "Valor",
    invalidJson: "El JSON no es válido.", readOnly: "Puedes mirar pero no cambiar nada (hace falta MANAGE_APPS).",
    nothingShown: "No se mostraría nada.", shown: "se muestra", fired: "se cumplen las condiciones",
    holdout: "grupo de control", notFired: "no se muestra", showAfter: "tras",
    seconds: "s", error: "Algo ha ido mal.", yes: "sí", no: "no",
    sChat: "Proveedor de chat", sWhatsapp: "Número de WhatsApp", sOrigins: "Orígenes de la tienda (uno por línea, vacío para cualquiera)",
    sPatterns: "Tipos de página por URL (uno por línea: patrón y tipo)", sConsent: "Pedir consentimiento antes de medir",
    sColour: "Color", sTextColour: "Color del texto", sPosition: "Posición", sBarPosition: "Barra de envío gratis",
    sQuiet: "Pausa tras un cierre (minutos)", sWindow: "Ventana de atribución (días)", sRetention: "Conservar datos de visitantes (días)",
    off: "desactivado", override: "Valor propio", vChannel: "Canal", vPageType: "Tipo de página", vUrl: "URL",
    vTimeOnPage: "Tiempo en la página (s)", vTimeOnSite: "Tiempo en la tienda (s)", vPagesViewed: "Páginas vistas",
    vProductsViewed: "Productos vistos", vMaxPrice: "Producto más caro visto", vCartValue: "Valor del carrito",
    vCartItems: "Artículos en el carrito", vCheckoutId: "Id del checkout (usa el carrito de Saleor)", vLocale: "Idioma",
    vDevice: "Dispositivo", vCountry: "País", vVisitCount: "Número de visita", vReturning: "Visitante que vuelve",
    vExitIntent: "A punto de irse",
    days: { mon: "lun", tue: "mar", wed: "mié", thu: "jue", fri: "vie", sat: "sáb", sun: "dom" },
  },
};
let language = "en";

function pick(tag) {
  const base = String(tag || "").toLowerCase().split(/[-_]/)[0];
  return Object.prototype.hasOwnProperty.call(TEXTS, base) ? base : "en";
}

export function t(key) {
  const texts = TEXTS[language];
  return (texts[key] !== undefined ? texts[key] : TEXTS.en[key]) || key;
}

export function apply(root) {
  document.documentElement.lang = language;
  (root || document).querySelectorAll("[data-i18n]").forEach(function (node) {
    node.textContent = t(node.getAttribute("data-i18n"));
  });
}

/** Numbers and amounts as the merchant's language writes them. */
export function number(value) { return new Intl.NumberFormat(language).format(value); }
export function money(amount, currency) {
  try { return new Intl.NumberFormat(language, { style: "currency", currency: currency }).format(amount); }
  catch (e) { return number(amount) + " " + currency; }  // a code Intl does not know
}

export function setLocale(tag) {
  language = pick(tag);
  apply(document);
  return language;
}
