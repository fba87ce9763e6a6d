// The options page: the rewrite mode (ask, auto, off) with its disclosure, the advanced affiliate key, and the coupon feed (its state, and Update now).
//
// Settings are saved through the worker, whose Engine validates the key; the page words the
// Engine's problem when it refuses one. Text reaches the page only through textContent.
//
// Choosing `auto` is consent to our tag on every product link the shopper will see: it is never
// saved by a radio's change alone (an arrow key moves a radio group's selection and fires
// `change`), only after a dialog that names what changes and is answered with a deliberate
// "Turn on". `ask` and `off` tag less than before, so they are saved as chosen.

import { ask } from '../shared/client.js';
import { message } from '../shared/protocol.js';
import { formatCount, localize, t } from '../shared/i18n.js';
import { wordProblem } from '../shared/problem.js';

const $ = (id) => document.getElementById(id);

/** The mode that needs the shopper's confirmation before it is saved. */
const CONFIRMED_MODE = 'auto';

/** How long "Saved." stays next to what was saved. */
const SAVED_FOR_MS = 4000;

let current = null;

/** Says `text` in the status line `id` (next to what it is about); "Saved." fades after a while. */
function status(id, text, isError = false) {
  for (const line of document.querySelectorAll('.status')) {
    if (line.id !== id) line.textContent = '';
  }
  const el = $(id);
  el.textContent = text;
  el.classList.toggle('error', isError);
  clearTimeout(el.clearTimer);
  if (!isError && text !== '') {
    el.clearTimer = setTimeout(() => {
      el.textContent = '';
    }, SAVED_FOR_MS);
  }
}

function checkMode(mode) {
  for (const radio of document.querySelectorAll('input[name="mode"]')) {
    radio.checked = radio.value === mode;
  }
}

function showSettings(settings) {
  current = settings;
  checkMode(settings.mode);
  $('affiliate-key').value = settings.affiliate_key;
  $('new-user').checked = settings.new_user === true;
  $('search-results').checked = settings.search_results === true;
  $('affiliate-key').placeholder = settings.default_affiliate_key;
  $('key-help').textContent = t('keyHelp', [settings.default_affiliate_key]);
}

function showKeyError(problem) {
  const input = $('affiliate-key');
  const error = $('key-error');
  if (problem === null) {
    input.removeAttribute('aria-invalid');
    error.hidden = true;
    error.textContent = '';
  } else {
    input.setAttribute('aria-invalid', 'true');
    error.hidden = false;
    error.textContent = t('keyInvalid', [wordProblem(problem)]);
  }
}

/**
 * Saves settings through the worker and says so in `statusId`, next to what was changed.
 * @returns {Promise<boolean>} whether they were saved
 */
async function save(mode, changes, statusId) {
  const reply = await ask(message.setSettings(mode, changes));
  if (reply.ok) {
    showSettings(reply);
    showKeyError(null);
    status(statusId, t('saved'));
    return true;
  }
  const problem = reply.error;
  if (reply.field === 'affiliate_key') {
    showKeyError(problem);
    status(statusId, '');
    $('affiliate-key').focus();
  } else {
    status(statusId, t('saveFailed', [wordProblem(problem)]), true);
    if (current) showSettings(current);
  }
  return false;
}

/**
 * Asks the shopper to confirm automatic deals in a modal dialog that names what changes; resolves
 * true only for "Turn on". Escape, "Keep asking me" or closing it otherwise is a no.
 */
function confirmAuto() {
  const dialog = $('auto-confirm');
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'yes'), { once: true });
    dialog.returnValue = '';
    dialog.showModal();
  });
}

async function chooseMode(mode) {
  if (current && mode === current.mode) return;
  if (mode === CONFIRMED_MODE) {
    const confirmed = await confirmAuto();
    if (!confirmed) {
      // Back to what is saved; the keyboard stays on the group, on the saved choice.
      checkMode(current?.mode);
      document.querySelector('input[name="mode"]:checked')?.focus();
      return;
    }
    document.querySelector(`input[name="mode"][value="${CONFIRMED_MODE}"]`)?.focus();
  }
  await save(mode, {}, 'mode-status');
}

/** The coupon feed's state, as the worker reports it. */
function showFeed(feed) {
  if (!feed) return;
  const when = feed.checked_at || feed.generated_at;
  const date = when
    ? new Intl.DateTimeFormat(chrome.i18n.getUILanguage() || undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(when))
    : '—';
  const source = feed.source === 'server' ? t('feedFromServer') : t('feedFromDemo');
  const summary = t('feedSummary', [formatCount(feed.coupons), source, date]);
  $('feed-summary').textContent = feed.unserved ? `${t('feedMarketNotServed', [feed.unserved])} ${summary}` : summary;
}

async function refreshFeed() {
  const button = $('feed-refresh');
  button.disabled = true;
  $('feed-result').textContent = t('feedChecking');
  const reply = await ask(message.refreshFeed());
  button.disabled = false;
  if (reply.ok) {
    showFeed(reply.feed);
    if (reply.feed.last_error) $('feed-result').textContent = t('feedRefreshFailed', [wordProblem(reply.feed.last_error)]);
    else if (reply.feed.unserved) $('feed-result').textContent = t('feedMarketNotServed', [reply.feed.unserved]);
    else $('feed-result').textContent = t('feedRefreshed');
    $('feed-result').classList.toggle('error', Boolean(reply.feed.last_error));
  } else {
    $('feed-result').textContent = t('feedRefreshFailed', [wordProblem(reply.error)]);
    $('feed-result').classList.add('error');
  }
}

function savedMode() {
  return current?.mode ?? document.querySelector('input[name="mode"]:checked')?.value;
}

async function main() {
  localize();
  $('feed-refresh').addEventListener('click', refreshFeed);
  $('new-user').addEventListener('change', (event) => {
    const mode = savedMode();
    if (mode) save(mode, { new_user: event.target.checked }, 'new-user-status');
  });
  $('search-results').addEventListener('change', (event) => {
    const mode = savedMode();
    if (mode) save(mode, { search_results: event.target.checked }, 'search-results-status');
  });
  ask(message.getFeed()).then((reply) => showFeed(reply.ok ? reply.feed : null));
  const settings = await ask(message.getSettings());
  if (settings.ok) showSettings(settings);
  else status('status', t('saveFailed', [wordProblem(settings.error)]), true);

  $('mode-form').addEventListener('change', (event) => {
    const target = event.target;
    if (target instanceof HTMLInputElement && target.name === 'mode' && target.checked) {
      chooseMode(target.value);
    }
  });
  $('mode-form').addEventListener('submit', (event) => event.preventDefault());
  $('key-form').addEventListener('submit', (event) => {
    event.preventDefault();
    save(savedMode(), { affiliate_key: $('affiliate-key').value }, 'key-status');
  });
}

main();
