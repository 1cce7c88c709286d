// Site analytics, added by the marketing team.
type Props = Record<string, string>;

export function track(event: string, props: Props = {}): void {
  const body = JSON.stringify({ event, ...props });
  navigator.sendBeacon("https://api.segment.io/v1/t", body);
}
