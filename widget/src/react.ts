'use client';
/**
 * `@igepay/widget/react`: `<IgepayButton>`, the element as a React 19 component whose events
 * are props (`onIgepayPaid`), in server-rendered and hydrated pages alike (Next.js, Remix,
 * React Router) as in client-only ones.
 *
 * React 19 renders a custom element's props itself, as attributes on the server and as
 * properties in the browser, but the event props it binds (`onigepay-paid`) are not attached
 * to an element it hydrates (facebook/react#35446): the element shows "paid" and the shop's
 * handler never runs. This component leaves the attributes to React and adds its listeners
 * itself, once the element is in the page. It is not built on `@lit/react`: without Lit's own
 * server renderer, that renders none of the element's properties on the server, and the
 * element would start without its product until React hydrated it.
 */
import { createElement, type HTMLAttributes, type Ref, useCallback, useLayoutEffect, useRef } from 'react';
import type { PropertyDeclaration } from './base-element.js';
import type { IgepayCancelEvent } from './events/igepay-cancel-event.js';
import type { IgepayErrorEvent } from './events/igepay-error-event.js';
import type { IgepayOrderEvent } from './events/igepay-order-event.js';
import type { IgepayPaidEvent } from './events/igepay-paid-event.js';
// Defines <igepay-button> in the browser; on the server it loads and defines nothing.
import { IgepayButton as IgepayButtonElement } from './igepay-button.js';

/** The element's attributes, as props (`orderName` is the `order-name` attribute). */
export type IgepayButtonAttributes = {
  [K in
    | 'server'
    | 'price'
    | 'product'
    | 'channels'
    | 'channel'
    | 'orderName'
    | 'orderUid'
    | 'mode'
    | 'lang'
    | 'disabled'
    | 'presets']?: IgepayButtonElement[K] | undefined;
};

/** The element's events, as props. */
export interface IgepayButtonEventProps {
  /** The server created the order: `event.detail.order_id`. */
  onIgepayOrder?: ((event: IgepayOrderEvent) => void) | undefined;
  /** The payment was verified: `event.detail` is `{ order_id, price, channel }`. Once per order. */
  onIgepayPaid?: ((event: IgepayPaidEvent) => void) | undefined;
  /** Something went wrong: `event.detail` is `{ code, message, serverMessage? }`. */
  onIgepayError?: ((event: IgepayErrorEvent) => void) | undefined;
  /** The buyer stopped waiting for a payment: `event.detail.order_id`. */
  onIgepayCancel?: ((event: IgepayCancelEvent) => void) | undefined;
}

/** The props of {@link IgepayButton}. */
export interface IgepayButtonProps
  extends IgepayButtonAttributes,
    IgepayButtonEventProps,
    Omit<HTMLAttributes<IgepayButtonElement>, keyof IgepayButtonAttributes | 'children'> {
  /** The element itself (React 19 passes `ref` as a prop). */
  ref?: Ref<IgepayButtonElement>;
}

/** Each event prop's event, as the element names it. */
export const IGEPAY_BUTTON_EVENTS = {
  onIgepayOrder: 'igepay-order',
  onIgepayPaid: 'igepay-paid',
  onIgepayError: 'igepay-error',
  onIgepayCancel: 'igepay-cancel',
} as const satisfies Record<keyof IgepayButtonEventProps, keyof HTMLElementEventMap>;

type EventProp = keyof typeof IGEPAY_BUTTON_EVENTS;

/** Each attribute prop's attribute, from the element's own declarations. */
const ATTRIBUTES = new Map(
  Object.entries(IgepayButtonElement.properties as Record<string, PropertyDeclaration>)
    .filter(([, declared]) => !declared.state && declared.attribute !== false)
    .map(([name, declared]) => [name, declared.attribute || name.toLowerCase()]),
);

/**
 * `<igepay-button>` for React 19. Give it the element's attributes as props (`server` is your
 * signing server's address) and handle its events with `onIgepayPaid`, `onIgepayError`,
 * `onIgepayOrder` and `onIgepayCancel`; the handler always called is the latest one rendered.
 *
 * ```tsx
 * <IgepayButton server="https://pay.example.com" product="vip" onIgepayPaid={(e) => fulfil(e.detail.order_id)} />
 * ```
 */
export function IgepayButton(props: IgepayButtonProps) {
  const { ref, onIgepayOrder, onIgepayPaid, onIgepayError, onIgepayCancel, ...rest } = props;
  const handlers = useRef<IgepayButtonEventProps>({});
  handlers.current = { onIgepayOrder, onIgepayPaid, onIgepayError, onIgepayCancel };
  const element = useRef<IgepayButtonElement | null>(null);

  // One listener per event for the element's life, calling whichever handler is current.
  useLayoutEffect(() => {
    const node = element.current;
    if (!node) return;
    const listeners = Object.entries(IGEPAY_BUTTON_EVENTS).map(([prop, type]) => {
      const listener = (event: Event) => (handlers.current[prop as EventProp] as (e: Event) => void)?.(event);
      node.addEventListener(type, listener);
      return () => node.removeEventListener(type, listener);
    });
    return () => {
      for (const remove of listeners) remove();
    };
  }, []);

  const attach = useCallback(
    (node: IgepayButtonElement | null) => {
      element.current = node;
      if (typeof ref === 'function') return ref(node);
      if (ref) ref.current = node;
    },
    [ref],
  );

  // Attributes by their own names, so that the server's HTML is what the element reads before
  // React hydrates it (React would write `orderName` as `ordername`). React renders `true` as a
  // present attribute on the server and sets the property in the browser.
  const attributes: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(rest)) attributes[ATTRIBUTES.get(name) ?? name] = value;
  return createElement('igepay-button', { ...attributes, ref: attach });
}
