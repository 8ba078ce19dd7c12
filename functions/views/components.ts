import type { FieldError } from '../http/fields';
import { html, type SafeHtml } from './html';
import { splitPaths } from './path-links';

/** The USWDS pieces pages are built from: alerts, the error summary, form fields, enhanced regions. */

/** Text with every path of this service in it made a link. */
export function withPathLinks(text: string): SafeHtml {
  return html`${splitPaths(text).map((part) => ('path' in part ? html`<a class="usa-link" href="${part.path}">${part.path}</a>` : part.text))}`;
}

/**
 * The USWDS error summary: every invalid field, each a link to it, in the form's order (`order`,
 * the fields' ids) where given. Focused on load (functions/browser/enhance.ts).
 */
export function errorSummary(errors: readonly FieldError[] | undefined, order: readonly string[] = []): SafeHtml {
  if (!errors?.length) return html``;
  const rank = (field: string) => (order.includes(field) ? order.indexOf(field) : order.length);
  const sorted = [...errors].sort((a, b) => rank(a.field) - rank(b.field));
  return html`<div class="usa-alert usa-alert--error" role="alert" tabindex="-1" id="error-summary">
<div class="usa-alert__body">
<h2 class="usa-alert__heading">There is a problem</h2>
<ul class="usa-list">${sorted.map((error) => html`<li><a class="usa-link" href="#${error.field}">${error.message}</a></li>`)}</ul>
</div>
</div>`;
}

/** An alert; `level` is its heading's level where it sits under a lower heading (a contractor's section). */
export function alert(
  kind: 'success' | 'info' | 'warning' | 'error',
  heading: string,
  text: SafeHtml | string,
  level: 2 | 3 = 2,
): SafeHtml {
  const title = level === 3 ? html`<h3 class="usa-alert__heading">${heading}</h3>` : html`<h2 class="usa-alert__heading">${heading}</h2>`;
  return html`<div class="usa-alert usa-alert--${kind}"${kind === 'error' ? html` role="alert"` : html` role="status"`}>
<div class="usa-alert__body">
${title}
<p class="usa-alert__text">${text}</p>
</div>
</div>`;
}

export interface FieldOptions {
  readonly type?: string;
  /** What the person typed, if anything: a re-rendered form keeps it. */
  readonly value?: string | undefined;
  readonly hint?: string;
  /** The form's refusals: the one for this field, if any, shows next to it. */
  readonly errors?: readonly FieldError[] | undefined;
  readonly autocomplete?: string;
  /** The keyboard a phone shows (`numeric` for a code). */
  readonly inputMode?: 'numeric' | 'email' | 'text';
  readonly required?: boolean;
  /** A multi-line text area instead of a one-line input. */
  readonly multiline?: boolean;
  readonly maxLength?: number;
  /** A USWDS character count (needs maxLength): how many characters are left, as one types. */
  readonly counted?: boolean;
}

export function input(id: string, label: string, options: FieldOptions): SafeHtml {
  const error = options.errors?.find((each) => each.field === id);
  const counted = options.counted && options.maxLength !== undefined;
  const describedBy = [counted ? `${id}-info` : '', options.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  const attributes = html`id="${id}" name="${id}"${options.autocomplete ? html` autocomplete="${options.autocomplete}"` : ''}${
    options.inputMode ? html` inputmode="${options.inputMode}"` : ''
  }${
    options.required ? html` required aria-required="true"` : ''
  }${options.maxLength ? html` maxlength="${options.maxLength}"` : ''}${describedBy ? html` aria-describedby="${describedBy}"` : ''}${
    error ? html` aria-invalid="true"` : ''
  }`;
  const fieldClass = counted ? ' usa-character-count__field' : '';
  const group = html`<div class="usa-form-group${error ? ' usa-form-group--error' : ''}">
<label class="usa-label${error ? ' usa-label--error' : ''}" for="${id}">${label}${options.required ? '' : html` <span class="usa-hint">(optional)</span>`}</label>
${options.hint ? html`<div class="usa-hint" id="${id}-hint">${options.hint}</div>` : ''}
${error ? html`<span class="usa-error-message" id="${id}-error">${withPathLinks(error.message)}</span>` : ''}
${
  options.multiline
    ? html`<textarea class="usa-textarea${fieldClass}${error ? ' usa-input--error' : ''}" ${attributes} rows="5">${options.value ?? ''}</textarea>`
    : html`<input class="usa-input${fieldClass}${error ? ' usa-input--error' : ''}" ${attributes} type="${options.type ?? 'text'}" value="${options.value ?? ''}">`
}
</div>`;
  if (!counted) return group;
  return html`<div class="usa-character-count">
${group}
<span id="${id}-info" class="usa-character-count__message">You can enter up to ${options.maxLength} characters</span>
</div>`;
}

/** The region a form lives in; with JavaScript the matching template replaces it. */
export function enhanced(form: SafeHtml, outcomes: Readonly<Record<string, SafeHtml>>): SafeHtml {
  return html`<div data-enhance-region>
${form}
${Object.entries(outcomes).map(([status, content]) => html`<template data-outcome="${status}">${content}</template>`)}
</div>`;
}
