// Text for extension pages: fills every element marked data-i18n from _locales through chrome.i18n.

/** The message `name` in the browser's language, with `substitutions`; never empty. */
export function t(name, substitutions) {
  return chrome.i18n.getMessage(name, substitutions) || name;
}

/** Sets the text of every `[data-i18n]` element under `root`, the label of every `[data-i18n-label]`, the page title and language. */
export function localize(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) {
    el.textContent = t(el.dataset.i18n);
  }
  // Buttons that show an icon: their accessible name, and the tooltip sighted users get.
  for (const el of root.querySelectorAll('[data-i18n-label]')) {
    el.setAttribute('aria-label', t(el.dataset.i18nLabel));
    el.title = t(el.dataset.i18nLabel);
  }
  const lang = chrome.i18n.getUILanguage();
  if (lang) document.documentElement.lang = lang;
  const title = document.documentElement.dataset.i18nTitle;
  if (title) document.title = t(title);
}

/** A number written the way the shopper's language writes it. */
export function formatCount(value) {
  const n = Number.isFinite(value) ? value : 0;
  return new Intl.NumberFormat(chrome.i18n.getUILanguage() || undefined).format(n);
}
