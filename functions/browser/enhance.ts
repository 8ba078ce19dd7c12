/**
 * Progressive enhancement of the pages' forms (they work without it). A form marked
 * `data-enhance` is sent with fetch and answered in place:
 * - success: the `<template data-outcome="<status>">` of its region replaces the form, and
 *   focus moves to the new heading;
 * - errors tied to fields: an error summary (focused) links to each field, in the form's order,
 *   and each field gets its message, `aria-invalid` and `aria-describedby`, and the title its
 *   "Error: " prefix, as the server-rendered page would;
 * - any other error: an error alert with the server's message, focused;
 * - a network failure: the form is submitted the ordinary way;
 * - a button with `data-confirm` asks its question in a dialog first (the page without
 *   JavaScript asks on a page of its own).
 */
import { formatTime } from '../views/format';
import { splitPaths } from '../views/path-links';

interface Refusal {
  field?: string;
  message?: string;
}

interface Answer {
  status?: string;
  accessExpiresAt?: string;
  endedAt?: string;
  /** A renewal that changed nothing (the access already lasts a full period). */
  unchanged?: boolean;
  error?: string;
  message?: string;
  field?: string;
  /** Every field refused, when more than one is. */
  errors?: Refusal[];
  /** The address written to, as the server canonicalised it. */
  email?: string;
}

/** The page's own title: an error adds the "Error: " prefix, and clearing it takes that away. */
const TITLE = document.title.replace(/^Error: /, '');

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string>,
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A message, its paths of this service made links (as the server's pages do). */
function withPathLinks(node: HTMLElement, message: string): HTMLElement {
  for (const part of splitPaths(message)) {
    node.append('path' in part ? element('a', { class: 'usa-link', href: part.path }, part.path) : part.text);
  }
  return node;
}

function clearErrors(form: HTMLFormElement, region: HTMLElement): void {
  document.title = TITLE;
  region.querySelector('[data-enhance-errors]')?.remove();
  region.querySelector('#error-summary')?.remove();
  for (const group of Array.from(form.querySelectorAll('.usa-form-group--error'))) group.classList.remove('usa-form-group--error');
  for (const label of Array.from(form.querySelectorAll('.usa-label--error'))) label.classList.remove('usa-label--error');
  for (const message of Array.from(form.querySelectorAll('.usa-error-message'))) message.remove();
  for (const field of Array.from(form.querySelectorAll<HTMLElement>('[aria-invalid]'))) {
    field.removeAttribute('aria-invalid');
    field.classList.remove('usa-input--error');
    const describedBy = (field.getAttribute('aria-describedby') ?? '').split(' ').filter((id) => id && id !== `${field.id}-error`);
    if (describedBy.length) field.setAttribute('aria-describedby', describedBy.join(' '));
    else field.removeAttribute('aria-describedby');
  }
}

type FieldControl = HTMLInputElement | HTMLTextAreaElement;

function markInvalid(field: FieldControl, message: string): void {
  field.closest('.usa-form-group')?.classList.add('usa-form-group--error');
  field.labels?.[0]?.classList.add('usa-label--error');
  const error = withPathLinks(
    element('span', { class: 'usa-error-message', id: `${field.id}-error`, 'data-enhance-message': '' }),
    message,
  );
  field.before(error);
  field.setAttribute('aria-invalid', 'true');
  field.classList.add('usa-input--error');
  const describedBy = (field.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean);
  field.setAttribute('aria-describedby', [...describedBy, error.id].join(' '));
}

function showError(form: HTMLFormElement, region: HTMLElement, answer: Answer): void {
  const message = answer.message ?? 'Something went wrong. Please try again.';
  const refusals = answer.errors?.length ? answer.errors : [{ field: answer.field, message }];
  const invalid = refusals
    .map((refusal) => ({
      message: refusal.message ?? message,
      field: refusal.field ? form.querySelector<FieldControl>(`[name="${CSS.escape(refusal.field)}"]`) : null,
    }))
    .filter((refusal): refusal is { message: string; field: FieldControl } => refusal.field !== null)
    .sort((a, b) => (a.field.compareDocumentPosition(b.field) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
  const alert = element('div', { class: 'usa-alert usa-alert--error', role: 'alert', tabindex: '-1', 'data-enhance-errors': '' });
  const body = element('div', { class: 'usa-alert__body' });
  body.append(element('h2', { class: 'usa-alert__heading' }, 'There is a problem'));
  if (invalid.length) {
    const list = element('ul', { class: 'usa-list' });
    for (const { field, message: text } of invalid) {
      const item = element('li', {});
      item.append(element('a', { class: 'usa-link', href: `#${field.id}` }, text));
      list.append(item);
      markInvalid(field, text);
    }
    body.append(list);
  } else {
    body.append(withPathLinks(element('p', { class: 'usa-alert__text' }), message));
  }
  alert.append(body);
  region.prepend(alert);
  document.title = `Error: ${TITLE}`;
  alert.focus();
}

function showOutcome(region: HTMLElement, status: string, answer: Answer): boolean {
  const template = region.querySelector<HTMLTemplateElement>(`template[data-outcome="${CSS.escape(status)}"]`);
  if (!template) return false;
  region.replaceChildren(template.content.cloneNode(true));
  // A template's slots take the answer's times, written as the server writes them.
  for (const slot of Array.from(region.querySelectorAll<HTMLElement>('[data-answer]'))) {
    const value = answer[slot.dataset.answer as keyof Answer];
    if (typeof value === 'string') slot.textContent = formatTime(value);
  }
  for (const slot of Array.from(region.querySelectorAll<HTMLElement>('[data-echo]'))) {
    const value = answer[slot.dataset.echo as keyof Answer];
    if (typeof value === 'string') slot.textContent = value;
  }
  // The section's facts follow the answer: its status, and when access ends or ended.
  const section = region.closest('section');
  const label = region.querySelector<HTMLElement>('[data-status]')?.dataset.status;
  const statusFact = section?.querySelector('[data-fact="status"]');
  if (label && statusFact) statusFact.textContent = label;
  const endFact = section?.querySelector('[data-fact="end"]');
  const end = answer.accessExpiresAt ?? answer.endedAt;
  if (end && endFact) endFact.textContent = formatTime(end);
  const heading = region.querySelector<HTMLElement>('h1, h2, h3');
  if (heading) {
    heading.setAttribute('tabindex', '-1');
    heading.focus();
  }
  return true;
}

function enhance(form: HTMLFormElement): void {
  const region = form.closest<HTMLElement>('[data-enhance-region]') ?? form.parentElement!;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const submitter = (event as SubmitEvent).submitter as HTMLButtonElement | null;
    // A button that asks first (End access): the browser's own dialog, and nothing is sent on Cancel.
    const question = submitter?.dataset.confirm;
    if (question && !window.confirm(question)) return;
    const data = new FormData(form);
    if (submitter?.name) data.set(submitter.name, submitter.value);
    if (question) data.set('confirmed', 'yes');
    const body = new URLSearchParams();
    for (const [name, value] of data) if (typeof value === 'string') body.append(name, value);
    for (const button of Array.from(form.querySelectorAll('button'))) button.disabled = true;
    let response: Response;
    try {
      // The attribute, not `form.action`: a control named "action" (the confirmation page has one) shadows that property.
      response = await fetch(form.getAttribute('action') ?? location.href, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body,
        credentials: 'same-origin',
      });
    } catch {
      HTMLFormElement.prototype.submit.call(form);
      return;
    }
    for (const button of Array.from(form.querySelectorAll('button'))) button.disabled = false;
    const answer = (await response.json().catch(() => ({}))) as Answer;
    clearErrors(form, region);
    const outcome = answer.unchanged ? `unchanged-${answer.status}` : answer.status;
    if (response.ok && outcome && showOutcome(region, outcome, answer)) return;
    if (response.status === 409 && answer.status && showOutcome(region, `done-${answer.status}`, answer)) return;
    showError(form, region, answer);
  });
}

for (const form of Array.from(document.querySelectorAll<HTMLFormElement>('form[data-enhance]'))) enhance(form);
// A page that comes back with a problem (a form posted without fetch) takes the reader to its summary.
document.querySelector<HTMLElement>('#error-summary')?.focus();
