/* The phone order page: name → drink → number → follow it live until it is ready.
 * No framework, no build step. Text from the server or a person goes in with textContent,
 * never as HTML. ES2017 only (no ?. or ??), for old phone browsers.
 */
'use strict';
(() => {
  const API = '/api/v1';
  const ORDER_EVENTS = ['OrderStarted', 'OrderPlaced', 'OrderClaimed', 'OrderUnclaimed',
    'OrderCompleted', 'OrderCancelled', 'OrderTimedOut'];
  const OPEN = ['started', 'queued', 'making'];
  const CANCELLABLE = ['started', 'queued'];
  const RETRY_MS = [400, 1200, 3000];
  const TIMEOUT_MS = 15000;

  const storeId = decodeURIComponent(location.pathname.split('/').filter(Boolean)[1] || '');
  const code = new URLSearchParams(location.search).get('code') || '';
  const ORDER_KEY = `espresso.order.${storeId}`;
  const PENDING_KEY = `espresso.pending.${storeId}`;
  const NAME_KEY = 'espresso.name';

  const MESSAGES = {
    missing_code: ['Scan the QR code', 'To order, scan the QR code on the booth screen with your phone camera.'],
    invalid_code: ['This code has expired', 'The QR code changes every few minutes. Please scan the code on the booth screen again.'],
    code_exhausted: ['This code is used up', 'Lots of people just ordered with it. Please scan the new code on the booth screen.'],
    store_closed: ['The stall is closed', 'We are not taking orders right now. Please check the booth screen or ask at the counter.'],
    store_full: ['The queue is full', 'Lots of drinks on the go! Please try again in a few minutes.'],
    order_limit: ['You already have an order', 'Please collect or cancel it before starting another.'],
    rate_limited: ['Too many tries', 'Please wait a minute, then try again.'],
    network: ['No connection', 'We cannot reach the stall. Check your Wi-Fi or mobile data and try again.'],
    order_gone: ['Order not found', 'We cannot find your order any more. Please ask at the counter.'],
    unknown_store: ['Wrong address', 'There is no coffee stall here. Please scan the QR code on the booth screen again.'],
    other: ['Something went wrong', 'Please try again, or order at the counter.'],
  };

  const $ = (id) => document.getElementById(id);
  const enc = encodeURIComponent;
  const lower = (text) => String(text).toLowerCase();
  const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  const state = {
    store: null, order: null, id: null, token: null, view: null, busy: false,
    choice: { item: null, options: {} }, source: null, lastSeq: 0, skewMs: 0, timers: {},
  };
  const later = (name, ms, fn) => { clearTimeout(state.timers[name]); state.timers[name] = setTimeout(fn, ms); };
  const stop = (name) => { clearTimeout(state.timers[name]); clearInterval(state.timers[name]); delete state.timers[name]; };

  /* Storage that survives a reload; a browser that refuses it gets memory instead. */
  const memory = {};
  const load = (key) => {
    let raw;
    try { raw = localStorage.getItem(key); } catch (e) { raw = memory[key]; }
    try { return raw ? JSON.parse(raw) : null; } catch (e) { return null; }
  };
  const save = (key, value) => {
    memory[key] = JSON.stringify(value);
    try { localStorage.setItem(key, memory[key]); } catch (e) { /* memory only */ }
  };
  const drop = (key) => {
    delete memory[key];
    try { localStorage.removeItem(key); } catch (e) { /* memory only */ }
  };
  // crypto.randomUUID needs https; getRandomValues does not.
  const randomId = () => Array.from(crypto.getRandomValues(new Uint8Array(16)),
    (b) => b.toString(16).padStart(2, '0')).join('');
  const customerId = load('espresso.customer') || randomId();
  save('espresso.customer', customerId);

  /* The same action with the same body reuses its Idempotency-Key, so a retry is safe. */
  const keyFor = (action, body) => {
    const raw = JSON.stringify(body);
    const pending = load(PENDING_KEY) || {};
    if (!pending[action] || pending[action].body !== raw) {
      pending[action] = { body: raw, key: randomId() };
      save(PENDING_KEY, pending);
    }
    return pending[action].key;
  };
  const settled = (action) => {
    const pending = load(PENDING_KEY) || {};
    delete pending[action];
    save(PENDING_KEY, pending);
  };

  /* HTTP: network failures and 5xx are retried a few times, then NetworkError. */
  class NetworkError extends Error {}
  async function call(method, path, { body, token, key } = {}) {
    const headers = { Accept: 'application/json' };
    if (token) headers.Authorization = `Bearer ${token}`;
    if (key) headers['Idempotency-Key'] = key;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const init = { method, headers, cache: 'no-store', credentials: 'omit' };
    if (body !== undefined) init.body = JSON.stringify(body);
    for (let attempt = 0; ; attempt++) {
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(), TIMEOUT_MS);
      let response = null;
      try {
        response = await fetch(API + path, Object.assign({ signal: abort.signal }, init));
      } catch (e) { /* offline, refused, timed out: retried below */ }
      const data = response && response.status < 500 ? await response.json().catch(() => null) : null;
      clearTimeout(timer);  // after the body: a stalled body is aborted too
      // A success whose body was cut off (the connection dropped) is retried like a failure.
      if (response && response.status < 500 && (data || !response.ok)) {
        const date = Date.parse(response.headers.get('Date') || '');
        if (!isNaN(date)) state.skewMs = date + 500 - Date.now();  // Date has whole seconds
        return { ok: response.ok, status: response.status, data, code: response.ok ? null : (data && data.code) || 'other' };
      }
      if (attempt >= RETRY_MS.length) throw new NetworkError(response ? `HTTP ${response.status}` : 'offline');
      await wait(RETRY_MS[attempt]);
    }
  }

  /* Views: one section shows at a time. */
  function show(view) {
    for (const name of ['loading', 'start', 'menu', 'order', 'notice']) $(`view-${name}`).hidden = name !== view;
    if (view !== 'order') document.body.classList.remove('ready');
    if (state.view === view) return;
    state.view = view;
    const heading = $(`view-${view}`).querySelector('h1');
    if (heading) heading.focus({ preventScroll: true });
  }
  function notice(kind, action) {
    const [title, text] = MESSAGES[kind] || MESSAGES.other;
    $('notice-title').textContent = title;
    $('notice-text').textContent = text;
    const button = $('notice-button');
    button.hidden = !action;
    if (action) [button.textContent, button.onclick] = action;
    show('notice');
  }
  function say(id, text) {
    $(id).textContent = text || '';
    $(id).hidden = !text;
  }
  const sentence = (kind) => (MESSAGES[kind] || MESSAGES.other).join('. ');
  function el(tag, props, children = []) {
    const node = Object.assign(document.createElement(tag), props);
    for (const child of children) if (child) node.append(child);  // strings become text nodes
    return node;
  }
  function fill(node, children) {
    node.textContent = '';
    node.append(...children);
  }
  /* Runs one button's request; the button is off meanwhile, so a double tap sends one. */
  async function busyWith(button, errorId, task) {
    if (state.busy) return;
    state.busy = button.disabled = true;
    try {
      await task();
    } catch (error) {
      if (!(error instanceof NetworkError)) throw error;
      say(errorId, sentence('network'));
    } finally {
      state.busy = button.disabled = false;
    }
  }

  /* Start: find the store, resume a remembered order, or ask for a name. */
  async function init() {
    show('loading');
    try {
      const r = await call('GET', `/stores/${enc(storeId)}`);
      if (!r.ok) return notice(r.status === 404 ? 'unknown_store' : r.code, ['Try again', init]);
      setStore(r.data);
      const saved = load(ORDER_KEY);
      if (saved) {
        const o = await call('GET', `/orders/${enc(saved.id)}`, { token: saved.token });
        // An open order always resumes; a finished one only on a reload of the same code.
        if (o.ok && (OPEN.includes(o.data.state) || saved.code === code)) return follow(o.data, saved);
        if (!o.ok && ![401, 403, 404].includes(o.status)) return notice(o.code, ['Try again', init]);
        forget();
      }
      askName();
    } catch (error) {
      if (!(error instanceof NetworkError)) throw error;
      notice('network', ['Try again', init]);
    }
  }
  function setStore(store) {
    state.store = store;
    $('store-name').textContent = store.name;
    document.title = `Order · ${store.name}`;
  }
  function askName() {
    if (!code) return notice('missing_code');
    if (!state.store.open) return notice('store_closed', ['Try again', init]);
    if (!$('name').value) $('name').value = load(NAME_KEY) || '';
    say('name-error', '');
    show('start');
  }

  $('start-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const name = $('name').value.trim();
    if (!name) return say('name-error', 'Please enter your first name.');
    const body = { code, customer_name: name, customer_id: customerId };
    busyWith($('start-button'), 'name-error', async () => {
      const r = await call('POST', `/stores/${enc(storeId)}/orders`, { body, key: keyFor('start', body) });
      if (r.ok) {
        settled('start');
        save(NAME_KEY, name);
        const saved = { id: r.data.order.id, token: r.data.order_token, code };
        save(ORDER_KEY, saved);
        return follow(r.data.order, saved);
      }
      if (r.code === 'validation_error') return say('name-error', 'Please enter your first name (up to 40 letters).');
      if (['store_full', 'rate_limited'].includes(r.code)) return say('name-error', sentence(r.code));
      notice(r.code, r.code === 'store_closed' ? ['Try again', init] : null);
    });
  });

  /* Following an order: show what the server says; refresh whenever its stream moves. */
  function follow(order, saved) {
    Object.assign(state, { id: order.id, token: saved.token, lastSeq: 0, order: null });
    render(order);
    listen();
  }
  function render(order) {
    const previous = state.order;
    // A late answer to an older request must not move the page back.
    if (order.id !== state.id || (previous && Date.parse(order.updated_at) < Date.parse(previous.updated_at))) return;
    state.order = order;
    if (order.state === 'started') {
      if (state.view !== 'menu') showMenu();
      return placeCancel($('menu-actions'));
    }
    stop('countdown');
    renderOrder(order, previous);
  }
  function refreshSoon(ms) {
    if (state.id && !state.timers.refresh) later('refresh', ms, () => { delete state.timers.refresh; refresh(); });
  }
  async function refresh() {
    const id = state.id;
    if (!id) return;
    try {
      const r = await call('GET', `/orders/${enc(id)}`, { token: state.token });
      if (id !== state.id) return;
      if (r.ok) return render(r.data);
      if ([401, 404].includes(r.status)) gone();
    } catch (error) {
      if (!(error instanceof NetworkError)) throw error;
      refreshSoon(5000);
    }
  }
  function gone() {
    forget();
    notice('order_gone', code ? ['Start a new order', init] : null);
  }
  function forget() {
    drop(ORDER_KEY);
    drop(PENDING_KEY);
    hangUp();
    for (const name of Object.keys(state.timers)) stop(name);
    Object.assign(state, { order: null, id: null, token: null, choice: { item: null, options: {} } });
  }

  /* The order's event stream. EventSource reconnects by itself with Last-Event-ID; when it
   * gives up (an HTTP error), check the order and listen again from the last event seen. */
  function listen() {
    hangUp();
    const after = state.lastSeq ? `&after=${state.lastSeq}` : '';
    const source = new EventSource(`${API}/orders/${enc(state.id)}/stream?access_token=${enc(state.token)}${after}`);
    const onEvent = (event) => {
      state.lastSeq = Math.max(state.lastSeq, parseInt(event.lastEventId, 10) || 0);
      refreshSoon(50);
    };
    for (const type of ORDER_EVENTS) source.addEventListener(type, onEvent);
    source.onopen = () => connected(true);
    source.onerror = () => {
      if (source !== state.source) return;
      connected(false);
      if (source.readyState !== EventSource.CLOSED) return;
      state.source = null;
      later('listen', 3000, async () => {
        await refresh();
        if (state.id && !state.source) listen();
      });
    };
    state.source = source;
  }
  function hangUp() {
    stop('listen');
    if (state.source) state.source.close();
    state.source = null;
    connected(true);
  }
  function connected(yes) {
    if (yes) { stop('offline'); $('connection').hidden = true; return; }
    // Brief blips reconnect on their own; say so only when it lasts.
    later('offline', 2000, () => {
      $('connection').hidden = Boolean(state.source && state.source.readyState === EventSource.OPEN);
    });
  }
  document.addEventListener('visibilitychange', () => {
    if (document.hidden || !state.id) return;
    refreshSoon(0);
    if (!state.source) listen();
  });

  /* The menu: drinks, then the chosen drink's options; what has run out cannot be chosen. */
  const findItem = (id) => (state.store ? state.store.menu : []).find((item) => item.id === id) || null;
  function showMenu() {
    $('menu-name').textContent = state.order.customer_name;
    renderMenu();
    say('menu-error', '');
    stop('countdown');
    state.timers.countdown = setInterval(tick, 1000);
    tick();
    show('menu');
  }
  function radio(group, id, label, available, checked, onChange) {
    const input = el('input', { type: 'radio', name: group, id, disabled: !available, checked });
    input.addEventListener('change', onChange);
    return el('label', { className: available ? 'choice' : 'choice sold-out', htmlFor: id }, [
      input, el('span', { className: 'choice-name' }, [label]),
      available ? null : el('span', { className: 'tag' }, ['Sold out']),
    ]);
  }
  function renderMenu() {
    const chosen = findItem(state.choice.item);
    if (!chosen || !chosen.available) state.choice = { item: null, options: {} };
    fill($('drink-list'), state.store.menu.map((item, i) =>
      radio('drink', `drink-${i}`, item.name, item.available, state.choice.item === item.id, () => {
        state.choice = { item: item.id, options: {} };
        say('menu-error', '');
        renderOptions();
      })));
    renderOptions();
  }
  function renderOptions() {
    const item = findItem(state.choice.item);
    fill($('options'), (item ? item.options : []).map((option, i) => {
      const gone = (option.unavailable || []).map(lower);
      let current = state.choice.options[option.id] || option.default;
      if (gone.includes(lower(current))) current = null;  // its default ran out: the customer chooses
      if (current) state.choice.options[option.id] = current;
      else delete state.choice.options[option.id];
      return el('fieldset', { className: 'group' }, [el('legend', {}, [option.name])].concat(option.choices.map((choice, j) =>
        radio(`option-${i}`, `option-${i}-${j}`, choice, !gone.includes(lower(choice)),
          Boolean(current) && lower(current) === lower(choice), () => {
            state.choice.options[option.id] = choice;
            say('menu-error', '');
          }))));
    }));
  }

  $('menu-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const item = findItem(state.choice.item);
    if (!item) return say('menu-error', 'Please choose a drink.');
    const missing = item.options.find((option) => !state.choice.options[option.id]);
    if (missing) return say('menu-error', `Please choose the ${lower(missing.name)}.`);
    const options = {};
    for (const option of item.options) options[option.id] = state.choice.options[option.id];
    const body = { item: item.id, options };
    const id = state.id;
    busyWith($('order-button'), 'menu-error', async () => {
      const r = await call('PUT', `/orders/${enc(id)}/drink`, { body, token: state.token, key: keyFor(`drink:${id}`, body) });
      if (r.ok) { settled(`drink:${id}`); return render(r.data); }
      if (r.code === 'validation_error') {
        const s = await call('GET', `/stores/${enc(storeId)}`);
        if (s.ok) { setStore(s.data); renderMenu(); }
        return say('menu-error', 'Sorry, something you chose has just run out. Please choose again.');
      }
      if (r.code === 'invalid_transition') return refresh();
      if ([401, 404].includes(r.status)) return gone();
      say('menu-error', sentence(r.code));
    });
  });

  function tick() {
    const order = state.order;
    const line = $('countdown');
    if (!order || order.state !== 'started' || !order.deadline) { line.textContent = ''; return; }
    // Never more than the store's limit: the server's clock is only known to a second.
    const limit = state.store.limits ? Math.ceil(state.store.limits.customer_timeout_s) : Infinity;
    const left = Math.max(0, Math.min(limit, Math.ceil((Date.parse(order.deadline) - Date.now() - state.skewMs) / 1000)));
    line.textContent = left ? `Time left to choose: ${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}` : 'Time is up…';
    line.classList.toggle('urgent', left <= 60);
    if (!left) refreshSoon(1500);  // the server times the order out within a second
  }

  /* The order: its number, huge, and where it is. */
  function describe(order) {
    const reason = order.reason || '';
    switch (order.state) {
      case 'queued':
        return ['In the queue', 'We will start on your drink soon. Keep this page open: it updates by itself.'];
      case 'making':
        return [order.barista ? `Being made by ${order.barista}` : 'Being made', 'Your drink is being made right now.'];
      case 'completed':
        return [`Ready! Collect #${order.number}`, 'Your drink is waiting for you at the counter.'];
      case 'cancelled':
        if (reason === 'customer') return ['Cancelled', 'You cancelled this order.'];
        if (reason.startsWith('barista: ')) return ['Cancelled', `The barista cancelled this order: ${reason.slice(9)}`];
        return ['Cancelled', 'This order was cancelled. Please ask at the counter.'];
      case 'timed_out':
        if (reason === 'customer_timeout') return ['Time ran out', 'No drink was chosen in time, so this order was closed.'];
        return ['Sorry, this order timed out', 'We could not make your drink in time. Please ask at the counter.'];
      default:
        return [String(order.state), ''];
    }
  }
  function drinkText(order) {
    const item = findItem(order.item);
    const parts = [item ? item.name : order.item].concat(Object.values(order.options || {}));
    return `${order.item ? `${parts.join(', ')} · ` : ''}for ${order.customer_name}`;
  }
  function renderOrder(order, previous) {
    const [headline, detail] = describe(order);
    const ready = order.state === 'completed';
    const number = order.number === null ? '' : `#${order.number}`;
    $('number-box').hidden = !number;
    $('number').textContent = number;
    $('order-state').textContent = headline;
    $('order-detail').textContent = detail;
    $('order-drink').textContent = drinkText(order);
    placeCancel($('order-actions'));
    $('again-button').hidden = OPEN.includes(order.state);
    document.body.classList.toggle('ready', ready);
    document.title = ready || !number ? headline : `${number} ${headline}`;
    show('order');
    if (ready && !(previous && previous.state === 'completed') && navigator.vibrate) navigator.vibrate([300, 150, 300]);
  }
  $('again-button').addEventListener('click', () => { forget(); init(); });

  /* Cancelling: while started or queued, after a second tap to confirm. */
  function placeCancel(container) {
    const box = $('cancel-box');
    if (box.parentNode !== container) container.prepend(box);
    const allowed = Boolean(state.order) && CANCELLABLE.includes(state.order.state);
    if (box.hidden !== allowed) return;
    box.hidden = !allowed;
    confirming(false);
    say('cancel-error', '');
  }
  function confirming(on) {
    $('cancel-button').hidden = on;
    $('cancel-confirm').hidden = !on;
  }
  $('cancel-button').addEventListener('click', () => { confirming(true); $('cancel-no').focus(); });
  $('cancel-no').addEventListener('click', () => { confirming(false); $('cancel-button').focus(); });
  $('cancel-yes').addEventListener('click', () => {
    const id = state.id;
    const body = {};
    busyWith($('cancel-yes'), 'cancel-error', async () => {
      const r = await call('POST', `/orders/${enc(id)}/cancel`, { body, token: state.token, key: keyFor(`cancel:${id}`, body) });
      if (r.ok) { settled(`cancel:${id}`); return render(r.data); }
      confirming(false);
      say('cancel-error', r.code === 'invalid_transition' ? 'Too late to cancel: your drink is already being made.' : sentence(r.code));
      await refresh();
    });
  });

  init();
})();
