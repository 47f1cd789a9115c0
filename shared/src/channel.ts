/** The payment channels igepay offers, in the order the widget shows them. */
export const CHANNELS = ['wechat', 'alipay'] as const;

/** A payment channel: `wechat` (WeChat Pay) or `alipay` (Alipay). */
export type Channel = (typeof CHANNELS)[number];

/** The gateway's `type` field value for each channel (docs/protocol.md §1.1: 1 = WeChat Pay, 2 = Alipay). */
export const CHANNEL_TYPE = { wechat: '1', alipay: '2' } as const satisfies Record<Channel, string>;

/** The gateway `type` values. */
export type ChannelType = (typeof CHANNEL_TYPE)[Channel];

/** Maps a gateway `type` value back to its channel, or `undefined` for an unknown type. */
export function channelOfType(type: string): Channel | undefined {
  return CHANNELS.find((channel) => CHANNEL_TYPE[channel] === type);
}
