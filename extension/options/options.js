// The options page: the rewrite mode (ask, auto, off) with its disclosure, the advanced affiliate key, and the coupon feed (its state, and Update now).
//
// Settings are saved through the worker, whose Engine validates the key; the page shows the
// Engine's reason when it refuses one. Text reaches the page only through textContent.

import { message } from '../shared/protocol.js';
import { formatCount, localize, t } from '../shared/i18n.js';
import { wordProblem } from '../shared/problem.js';

const $ = (id) => document.getElementById(id);

let current = null;

function status(text, isError = false) {
  const el = $('status');
  el.textContent = text;
  el.classList.toggle('error', isError);
}

function showSettings(settings) {
  current = settings;
  for (const radio of document.querySelectorAll('input[name="mode"]')) {
    radio.checked = radio.value === settings.mode;
  }
  $('affiliate-key').value = settings.affiliate_key;
  $('new-user').checked = settings.new_user === true;
  $('affiliate-key').placeholder = settings.default_affiliate_key;
  $('key-help').textContent = t('keyHelp', [settings.default_affiliate_key]);
}

function showKeyError(reason) {
  const input = $('affiliate-key');
  const error = $('key-error');
  if (reason === null) {
    input.removeAttribute('aria-invalid');
    error.hidden = true;
    error.textContent = '';
  } else {
    input.setAttribute('aria-invalid', 'true');
    error.hidden = false;
    error.textContent = t('keyInvalid', [wordProblem(reason)]);
  }
}

async function save(mode, affiliateKey, newUser) {
  let reply;
  try {
    reply = await chrome.runtime.sendMessage(message.setSettings(mode, affiliateKey, newUser));
  } catch (error) {
    reply = { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  if (reply?.ok === true) {
    showSettings(reply);
    showKeyError(null);
    status(t('saved'));
    return;
  }
  const reason = reply?.error ?? null;
  if (reply?.field === 'affiliate_key') {
    showKeyError(reason);
    status('');
    $('affiliate-key').focus();
  } else {
    status(t('saveFailed', [wordProblem(reason)]), true);
    if (current) showSettings(current);
  }
}

/** The coupon feed's state, as the worker reports it. */
function showFeed(feed) {
  if (!feed) return;
  const when = feed.checked_at || feed.generated_at;
  const date = when
    ? new Intl.DateTimeFormat(chrome.i18n.getUILanguage() || undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(when))
    : '—';
  const source = feed.source === 'server' ? t('feedFromServer') : t('feedFromDemo');
  $('feed-summary').textContent = t('feedSummary', [formatCount(feed.coupons), source, date]);
}

async function refreshFeed() {
  const button = $('feed-refresh');
  button.disabled = true;
  $('feed-result').textContent = t('feedChecking');
  let reply;
  try {
    reply = await chrome.runtime.sendMessage(message.refreshFeed());
  } catch (error) {
    reply = { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  button.disabled = false;
  if (reply?.ok === true) {
    showFeed(reply.feed);
    $('feed-result').textContent = reply.feed.last_error
      ? t('feedRefreshFailed', [wordProblem(reply.feed.last_error)])
      : t('feedRefreshed');
    $('feed-result').classList.toggle('error', Boolean(reply.feed.last_error));
  } else {
    $('feed-result').textContent = t('feedRefreshFailed', [wordProblem(reply?.error ?? 'no answer')]);
    $('feed-result').classList.add('error');
  }
}

async function main() {
  localize();
  $('feed-refresh').addEventListener('click', refreshFeed);
  $('new-user').addEventListener('change', (event) => {
    const mode = current?.mode ?? document.querySelector('input[name="mode"]:checked')?.value;
    if (mode) save(mode, undefined, event.target.checked);
  });
  chrome.runtime
    .sendMessage(message.getFeed())
    .then((reply) => showFeed(reply?.ok === true ? reply.feed : null))
    .catch(() => {});
  const settings = await chrome.runtime.sendMessage(message.getSettings());
  if (settings?.ok === true) showSettings(settings);
  else status(t('saveFailed', [settings?.error ?? 'no answer']), true);

  $('mode-form').addEventListener('change', (event) => {
    const target = event.target;
    if (target instanceof HTMLInputElement && target.name === 'mode' && target.checked) {
      save(target.value);
    }
  });
  $('mode-form').addEventListener('submit', (event) => event.preventDefault());
  $('key-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const mode = current?.mode ?? document.querySelector('input[name="mode"]:checked')?.value;
    save(mode, $('affiliate-key').value);
  });
}

main();
