import type { FieldError } from '../http/fields';
import { html, type SafeHtml } from './html';

/** The USWDS pieces pages are built from: alerts, the error summary, form fields, enhanced regions. */

export function errorSummary(error: FieldError | undefined): SafeHtml {
  if (!error) return html``;
  return html`<div class="usa-alert usa-alert--error" role="alert" tabindex="-1" id="error-summary">
<div class="usa-alert__body">
<h2 class="usa-alert__heading">There is a problem</h2>
<ul class="usa-list"><li><a href="#${error.field}">${error.message}</a></li></ul>
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
  readonly error?: FieldError | undefined;
  readonly autocomplete?: string;
  /** The keyboard a phone shows (`numeric` for a code). */
  readonly inputMode?: 'numeric' | 'email' | 'text';
  readonly required?: boolean;
  /** A multi-line text area instead of a one-line input. */
  readonly multiline?: boolean;
  readonly maxLength?: number;
}

export function input(id: string, label: string, options: FieldOptions): SafeHtml {
  const error = options.error?.field === id ? options.error : undefined;
  const describedBy = [options.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  const attributes = html`id="${id}" name="${id}"${options.autocomplete ? html` autocomplete="${options.autocomplete}"` : ''}${
    options.inputMode ? html` inputmode="${options.inputMode}"` : ''
  }${
    options.required ? html` required aria-required="true"` : ''
  }${options.maxLength ? html` maxlength="${options.maxLength}"` : ''}${describedBy ? html` aria-describedby="${describedBy}"` : ''}${
    error ? html` aria-invalid="true"` : ''
  }`;
  return html`<div class="usa-form-group${error ? ' usa-form-group--error' : ''}">
<label class="usa-label${error ? ' usa-label--error' : ''}" for="${id}">${label}${options.required ? '' : html` <span class="usa-hint">(optional)</span>`}</label>
${options.hint ? html`<div class="usa-hint" id="${id}-hint">${options.hint}</div>` : ''}
${error ? html`<span class="usa-error-message" id="${id}-error">${error.message}</span>` : ''}
${
  options.multiline
    ? html`<textarea class="usa-textarea${error ? ' usa-input--error' : ''}" ${attributes} rows="5">${options.value ?? ''}</textarea>`
    : html`<input class="usa-input${error ? ' usa-input--error' : ''}" ${attributes} type="${options.type ?? 'text'}" value="${options.value ?? ''}">`
}
</div>`;
}

/** The region a form lives in; with JavaScript the matching template replaces it. */
export function enhanced(form: SafeHtml, outcomes: Readonly<Record<string, SafeHtml>>): SafeHtml {
  return html`<div data-enhance-region>
${form}
${Object.entries(outcomes).map(([status, content]) => html`<template data-outcome="${status}">${content}</template>`)}
</div>`;
}
