// The simulator page: chat with the assistant as the owner or any customer of a seeded business.
// Every piece of data reaches the page through textContent or attributes, never through innerHTML.
"use strict";

(() => {
  const API = "/api/simulator";
  const POLL_MS = 3000;
  const TOAST_MS = 6000;
  const IST_MINUTES = 330;

  const $ = (id) => document.getElementById(id);
  const ui = {
    businessName: $("business-name"),
    subtitle: $("subtitle"),
    businessField: $("business-field"),
    business: $("business"),
    identity: $("identity"),
    clock: $("clock"),
    clockForm: $("clock-form"),
    clockInput: $("clock-input"),
    chat: $("chat"),
    composer: $("composer"),
    input: $("message-input"),
    send: $("send"),
    toasts: $("toasts"),
  };

  const state = {
    businesses: [],
    business: null,
    people: [], // {phone, name, role: "owner" | "customer"}
    identity: null, // the phone the person is writing as
    chats: new Map(), // phone -> {entries, seen, since, loaded, polling}
    clockIso: null,
    offsetMinutes: IST_MINUTES, // the server clock's UTC offset: every time is shown on its wall clock
    inFlight: 0,
    pollFailing: false,
  };

  // ---- API -------------------------------------------------------------------------------------------

  async function api(method, path, body) {
    let response;
    try {
      response = await fetch(API + path, {
        method,
        headers: body === undefined ? {} : { "Content-Type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new Error("Can't reach the server. Is it still running?");
    }
    const data = await response.json().catch(() => null);
    if (!response.ok) throw new Error(errorText(response, data));
    return data;
  }

  function errorText(response, data) {
    const detail = data && data.detail;
    if (typeof detail === "string") return detail;
    if (Array.isArray(detail)) return detail.map((item) => item.msg).join("; ");
    return `The server answered ${response.status} ${response.statusText}`.trim();
  }

  function toast(message) {
    const node = document.createElement("div");
    node.className = "toast";
    node.dataset.testid = "toast";
    node.textContent = message;
    ui.toasts.append(node);
    setTimeout(() => node.remove(), TOAST_MS);
  }

  // Random ids without crypto.randomUUID, which browsers only offer on https or localhost.
  function newMessageId() {
    const bytes = crypto.getRandomValues(new Uint8Array(12));
    return "web-" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  // ---- Time --------------------------------------------------------------------------------------------

  function parseOffset(iso) {
    if (/z$/i.test(iso)) return 0;
    const match = /([+-])(\d\d):(\d\d)$/.exec(iso);
    if (!match) return null;
    const minutes = Number(match[2]) * 60 + Number(match[3]);
    return match[1] === "-" ? -minutes : minutes;
  }

  // Python writes microseconds; keep milliseconds so every browser parses it.
  function parseTime(iso) {
    return Date.parse(iso.replace(/(\.\d{3})\d+/, "$1"));
  }

  // A Date whose UTC fields are the server's wall-clock time, to format with timeZone "UTC".
  function wall(iso) {
    return new Date(parseTime(iso) + state.offsetMinutes * 60000);
  }

  const timeFormat = new Intl.DateTimeFormat("en-IN", {
    timeZone: "UTC", hour: "2-digit", minute: "2-digit", hour12: false,
  });
  const dayFormat = new Intl.DateTimeFormat("en-IN", {
    timeZone: "UTC", weekday: "short", day: "numeric", month: "short", year: "numeric",
  });
  const clockFormat = new Intl.DateTimeFormat("en-IN", {
    timeZone: "UTC", weekday: "short", day: "numeric", month: "short", year: "numeric",
    hour: "2-digit", minute: "2-digit", hour12: false,
  });

  function offsetText(minutes) {
    const sign = minutes < 0 ? "-" : "+";
    const abs = Math.abs(minutes);
    const pad = (n) => String(n).padStart(2, "0");
    return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  }

  // "YYYY-MM-DDTHH:MM", the value a datetime-local input takes.
  function inputValue(iso) {
    return wall(iso).toISOString().slice(0, 16);
  }

  function setClock(iso) {
    state.clockIso = iso;
    state.offsetMinutes = parseOffset(iso) ?? IST_MINUTES;
    ui.clock.dateTime = iso;
    const zone = state.offsetMinutes === IST_MINUTES ? "IST" : `UTC${offsetText(state.offsetMinutes)}`;
    ui.clock.textContent = `${clockFormat.format(wall(iso))} ${zone}`;
    // The clock only moves forward: start the picker at now and refuse earlier times there already.
    ui.clockInput.min = inputValue(iso);
    if (!ui.clockInput.value) ui.clockInput.value = inputValue(iso);
  }

  async function refreshClock() {
    setClock((await api("GET", "/clock")).now);
  }

  async function moveClock(event) {
    event.preventDefault();
    const value = ui.clockInput.value;
    if (!value) return;
    const now = (value.length === 16 ? `${value}:00` : value) + offsetText(state.offsetMinutes);
    try {
      const data = await api("POST", "/clock", { now });
      setClock(data.now);
      deliverScheduled(data.now, data.sent || []);
    } catch (error) {
      toast(error.message);
    }
  }

  function deliverScheduled(now, sent) {
    const others = [];
    for (const message of sent) {
      if (message.to === state.identity || chatFor(message.to).loaded) addIncoming(message.to, message);
      if (message.to !== state.identity) others.push(nameOf(message.to));
    }
    let text = `Clock moved to ${clockFormat.format(wall(now))}`;
    if (sent.length === 0) text += " · nothing was due";
    else text += ` · ${sent.length} scheduled message(s) sent`;
    if (others.length) text += `: → ${[...new Set(others)].join(", ")}`;
    if (state.identity) addEntry(state.identity, { kind: "note", text, at: now });
  }

  // ---- People ------------------------------------------------------------------------------------------

  function nameOf(phone) {
    const person = state.people.find((p) => p.phone === phone);
    return person ? person.name : phone;
  }

  function option(value, label) {
    const node = document.createElement("option");
    node.value = value;
    node.textContent = label;
    return node;
  }

  async function loadBusinesses() {
    const data = await api("GET", "/businesses");
    state.businesses = data.businesses;
    ui.business.replaceChildren(...state.businesses.map((b) => option(b.id, b.name)));
    ui.businessField.hidden = state.businesses.length < 2;
    if (state.businesses.length === 0) {
      ui.businessName.textContent = "Tagada";
      ui.subtitle.textContent = "No business yet";
      showEmpty("No business yet. Seed one with POST /api/simulator/businesses, or run `tagada demo`.");
      return;
    }
    await selectBusiness(state.businesses[0].id);
  }

  async function selectBusiness(id) {
    const business = state.businesses.find((b) => b.id === id);
    const data = await api("GET", `/businesses/${encodeURIComponent(id)}/customers`);
    state.business = business;
    state.chats = new Map();
    state.people = [];
    if (business.owner_phone) {
      state.people.push({ phone: business.owner_phone, name: "Owner", role: "owner" });
    }
    for (const customer of data.customers) {
      if (customer.phone) state.people.push({ phone: customer.phone, name: customer.name, role: "customer" });
    }
    ui.business.value = id;
    ui.businessName.textContent = business.name;
    ui.identity.replaceChildren(
      ...state.people.map((p) => option(p.phone, `${p.role === "owner" ? "Owner" : p.name} · ${p.phone}`)),
    );
    ui.identity.disabled = state.people.length === 0;
    if (state.people.length === 0) {
      state.identity = null;
      updateComposer();
      showEmpty("This business has no owner phone and no customers to write as.");
      return;
    }
    selectIdentity(state.people[0].phone);
  }

  function selectIdentity(phone) {
    state.identity = phone;
    ui.identity.value = phone;
    updateComposer();
    renderChat();
    poll();
  }

  function updateComposer() {
    const ready = Boolean(state.identity && state.business);
    ui.input.disabled = !ready;
    ui.send.disabled = !ready;
    if (!ready) return;
    const typing = state.inFlight > 0 ? "typing…" : state.business.whatsapp_number;
    ui.subtitle.textContent = `${typing} · you are ${nameOf(state.identity)}`;
    ui.input.placeholder = `Message ${state.business.name} as ${nameOf(state.identity)}`;
  }

  // ---- Conversation state ------------------------------------------------------------------------------

  function chatFor(phone) {
    let chat = state.chats.get(phone);
    if (!chat) {
      chat = { entries: [], seen: new Set(), since: null, loaded: false, polling: false };
      state.chats.set(phone, chat);
    }
    return chat;
  }

  // Entries stay in arrival order: the server's clock may stand still or jump, so times can't order them.
  function addEntry(phone, entry) {
    chatFor(phone).entries.push(entry);
    if (phone === state.identity) appendToPane(entry);
    return entry;
  }

  function addIncoming(phone, message) {
    const chat = chatFor(phone);
    if (chat.seen.has(message.id)) return;
    chat.seen.add(message.id);
    addEntry(phone, {
      kind: "in",
      text: message.text || "",
      media: message.media || [],
      buttons: message.buttons || [],
      at: message.sent_at || state.clockIso,
      answered: false,
    });
  }

  async function send(text, button) {
    const from = state.identity;
    const business = state.business;
    if (!from || !business || !text.trim()) return;
    const entry = addEntry(from, { kind: "out", text, at: state.clockIso, status: "pending" });
    state.inFlight += 1;
    updateComposer();
    try {
      const body = { from, to: business.whatsapp_number, text, id: newMessageId() };
      if (button) body.button = button;
      const data = await api("POST", "/messages", body);
      entry.status = "sent";
      const first = data.replies.find((r) => r.sent_at);
      if (first) entry.at = first.sent_at;
      redraw(from, entry);
      for (const reply of data.replies) {
        if (reply.to === from) {
          addIncoming(from, reply);
        } else {
          const note = `→ sent to ${nameOf(reply.to)}`;
          addEntry(from, { kind: "note", text: note, at: reply.sent_at, title: reply.text });
          if (chatFor(reply.to).loaded) addIncoming(reply.to, reply);
        }
      }
    } catch (error) {
      entry.status = "failed";
      redraw(from, entry);
      toast(error.message);
    } finally {
      state.inFlight -= 1;
      updateComposer();
    }
  }

  // The first call for a person fetches their whole history; later ones only what is new.
  async function poll() {
    const phone = state.identity;
    if (!phone) return;
    const chat = chatFor(phone);
    if (chat.polling) return;
    chat.polling = true;
    try {
      const params = new URLSearchParams({ to: phone });
      if (chat.since) params.set("since", chat.since);
      const data = await api("GET", `/outbox?${params}`);
      // `since` is inclusive, so the last message seen comes back; addIncoming skips it by id. Only
      // polls move `since`: a reply shown from a send may be newer than a message not fetched yet.
      for (const message of data.messages) {
        addIncoming(phone, message);
        if (message.sent_at && (!chat.since || parseTime(message.sent_at) > parseTime(chat.since))) {
          chat.since = message.sent_at;
        }
      }
      if (!chat.loaded) {
        chat.loaded = true;
        if (phone === state.identity && chat.entries.length === 0) showEmpty(noMessagesText());
      }
      await refreshClock();
      state.pollFailing = false;
    } catch (error) {
      // One toast per outage, not one every few seconds.
      if (!state.pollFailing) toast(error.message);
      state.pollFailing = true;
    } finally {
      chat.polling = false;
    }
  }

  async function pollForever() {
    if (!document.hidden) await poll();
    setTimeout(pollForever, POLL_MS);
  }

  // ---- Rendering ---------------------------------------------------------------------------------------

  function showEmpty(text) {
    const node = document.createElement("p");
    node.className = "empty";
    node.textContent = text;
    ui.chat.replaceChildren(node);
    ui.chat.dataset.day = "";
  }

  function noMessagesText() {
    return `No messages yet. Write to ${state.business.name} as ${nameOf(state.identity)}.`;
  }

  function renderChat() {
    ui.chat.replaceChildren();
    ui.chat.dataset.day = "";
    const chat = chatFor(state.identity);
    for (const entry of chat.entries) appendToPane(entry);
    if (chat.entries.length === 0) showEmpty(chat.loaded ? noMessagesText() : "Loading…");
  }

  function appendToPane(entry) {
    const stick = ui.chat.scrollHeight - ui.chat.scrollTop - ui.chat.clientHeight < 80;
    ui.chat.querySelector(".empty")?.remove();
    const day = entry.at ? dayFormat.format(wall(entry.at)) : null;
    const last = ui.chat.dataset.day;
    if (day && day !== last) {
      const chip = document.createElement("div");
      chip.className = "day";
      chip.textContent = day;
      ui.chat.append(chip);
      ui.chat.dataset.day = day;
    }
    entry.node = entry.kind === "note" ? noteNode(entry) : messageNode(entry);
    ui.chat.append(entry.node);
    if (stick || entry.kind === "out") ui.chat.scrollTop = ui.chat.scrollHeight;
  }

  function redraw(phone, entry) {
    if (phone !== state.identity || !entry.node) return;
    const fresh = messageNode(entry);
    entry.node.replaceWith(fresh);
    entry.node = fresh;
  }

  function noteNode(entry) {
    const node = document.createElement("div");
    node.className = "note";
    node.dataset.testid = "note";
    node.textContent = entry.text;
    if (entry.title) node.title = entry.title;
    return node;
  }

  function messageNode(entry) {
    const row = document.createElement("div");
    row.className = `row ${entry.kind}`;
    const bubble = document.createElement("div");
    bubble.className = "bubble";
    bubble.dataset.testid = "message";
    bubble.dataset.direction = entry.kind;
    if (entry.media && entry.media.length) bubble.append(mediaNode(entry.media));
    if (entry.text) {
      const text = document.createElement("div");
      text.className = "text";
      text.append(...linkified(entry.text));
      bubble.append(text);
    }
    bubble.append(metaNode(entry));
    row.append(bubble);
    if (entry.buttons && entry.buttons.length) row.append(quickReplies(entry));
    return row;
  }

  function metaNode(entry) {
    const meta = document.createElement("span");
    meta.className = "meta";
    const time = document.createElement("time");
    if (entry.at) {
      time.dateTime = entry.at;
      time.textContent = timeFormat.format(wall(entry.at));
    }
    meta.append(time);
    if (entry.kind === "out") {
      const status = document.createElement("span");
      status.className = `status-${entry.status}`;
      status.textContent = { pending: " 🕓", sent: " ✓", failed: " ! not sent" }[entry.status];
      meta.append(status);
    }
    return meta;
  }

  function safeUrl(url) {
    try {
      const parsed = new URL(url, location.href);
      return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
    } catch {
      return null;
    }
  }

  function mediaNode(media) {
    const box = document.createElement("div");
    box.className = "media";
    for (const item of media) {
      const href = safeUrl(item.url);
      const link = document.createElement(href ? "a" : "span");
      if (href) {
        link.href = href;
        link.target = "_blank";
        link.rel = "noopener noreferrer";
      }
      if (href && /^image\//.test(item.mime_type || "")) {
        const image = document.createElement("img");
        image.src = href;
        image.alt = item.filename || "image";
        image.loading = "lazy";
        link.dataset.testid = "media-image";
        link.append(image);
      } else {
        link.className = "file-chip";
        link.dataset.testid = "media-file";
        const icon = document.createElement("span");
        icon.className = "file-icon";
        icon.textContent = fileKind(item);
        const name = document.createElement("span");
        name.className = "file-name";
        name.textContent = item.filename || item.url;
        link.append(icon, name);
      }
      box.append(link);
    }
    return box;
  }

  function fileKind(item) {
    if (item.mime_type === "application/pdf") return "PDF";
    const extension = /\.([a-z0-9]{1,4})$/i.exec(item.filename || "");
    return extension ? extension[1].toUpperCase() : "FILE";
  }

  // Text with its web addresses made clickable, as WhatsApp shows them.
  function linkified(text) {
    const parts = [];
    let last = 0;
    for (const match of text.matchAll(/https?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]]/g)) {
      if (match.index > last) parts.push(document.createTextNode(text.slice(last, match.index)));
      const href = safeUrl(match[0]);
      if (href) {
        const link = document.createElement("a");
        link.href = href;
        link.target = "_blank";
        link.rel = "noopener noreferrer";
        link.textContent = match[0];
        parts.push(link);
      } else {
        parts.push(document.createTextNode(match[0]));
      }
      last = match.index + match[0].length;
    }
    if (last < text.length) parts.push(document.createTextNode(text.slice(last)));
    return parts;
  }

  function quickReplies(entry) {
    const box = document.createElement("div");
    box.className = "quick-replies";
    for (const button of entry.buttons) {
      const node = document.createElement("button");
      node.type = "button";
      node.dataset.testid = "quick-reply";
      node.dataset.buttonId = button.id;
      node.textContent = button.title;
      node.disabled = entry.answered;
      node.addEventListener("click", () => {
        entry.answered = true;
        for (const other of box.querySelectorAll("button")) other.disabled = true;
        send(button.title, button.id);
      });
      box.append(node);
    }
    return box;
  }

  // ---- Start -------------------------------------------------------------------------------------------

  ui.composer.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = ui.input.value;
    if (!text.trim()) return;
    ui.input.value = "";
    send(text);
  });
  ui.identity.addEventListener("change", () => selectIdentity(ui.identity.value));
  ui.business.addEventListener("change", () => {
    selectBusiness(ui.business.value).catch((error) => toast(error.message));
  });
  ui.clockForm.addEventListener("submit", moveClock);

  async function start() {
    try {
      await refreshClock();
      await loadBusinesses();
    } catch (error) {
      ui.subtitle.textContent = "Not connected";
      showEmpty(`The simulator could not be loaded: ${error.message}`);
      toast(error.message);
    }
    setTimeout(pollForever, POLL_MS);
  }

  start();
})();
