// Smart Search's products in the popup: the answer the server found for a submitted request (read and checked by the Engine in the worker), laid out as a list the shopper can open one by one, each with our promotion link, said so beside them.
//
// Nothing here decides what is shown: the Engine has already left out unusable products and
// applied the filters the API could not. This module words the numbers (prices in the shopper's
// language, the share of positive reviews, orders) and builds the list with DOM calls only.

import { t } from '../shared/i18n.js';
import { money } from './coupons.js';

const $ = (id) => document.getElementById(id);

function lang() {
  return chrome.i18n.getUILanguage() || undefined;
}

function number(n, options) {
  return new Intl.NumberFormat(lang(), options).format(n);
}

function line(className, text) {
  const span = document.createElement('span');
  span.className = className;
  span.textContent = text;
  return span;
}

/** One product: a link that opens our promotion link in a new tab, image, title, price, rating, orders. */
function productItem(product) {
  const item = document.createElement('li');
  const link = document.createElement('a');
  link.className = 'result';
  link.href = product.link;
  link.target = '_blank';
  link.rel = 'noopener noreferrer';
  link.dataset.productId = product.id;
  if (product.image) {
    const image = document.createElement('img');
    image.src = product.image;
    image.alt = '';
    image.width = 48;
    image.height = 48;
    image.loading = 'lazy';
    image.referrerPolicy = 'no-referrer';
    link.append(image);
  }
  const text = document.createElement('span');
  text.className = 'result-text';
  text.append(line('result-title', product.title));
  const price = line('result-price', money(product.price_text, product.currency));
  if (product.original_price_text) {
    const before = document.createElement('s');
    before.textContent = money(product.original_price_text, product.currency);
    price.append(' ', before);
  }
  text.append(price);
  const facts = [];
  if (product.positive_percent !== null) facts.push(t('resultPositive', [number(product.positive_percent, { maximumFractionDigits: 1 })]));
  if (product.orders !== null) facts.push(t('resultOrders', [number(product.orders)]));
  if (product.free_shipping === true) facts.push(t('chipFreeShipping'));
  if (facts.length > 0) text.append(line('result-meta', facts.join(' · ')));
  link.append(text);
  item.append(link);
  return item;
}

/** The close button puts the coupons back in the products' place. */
export function setUpResults() {
  $('results-close').addEventListener('click', () => {
    clearResults();
    $('search-input').focus();
  });
}

/** Empties the results (a new request, or results turned off). */
export function clearResults() {
  $('search-results').hidden = true;
  document.querySelector('main')?.classList.remove('showing-results');
  $('result-list').replaceChildren();
}

/**
 * Shows the products of `answer` (the Engine's checked product answer). Returns how many are
 * shown; none says so in the status line instead.
 */
export function showResults(answer) {
  const products = answer.products;
  $('result-list').replaceChildren(...products.map(productItem));
  $('search-results').hidden = products.length === 0;
  document.querySelector('main')?.classList.toggle('showing-results', products.length > 0);
  return products.length;
}
