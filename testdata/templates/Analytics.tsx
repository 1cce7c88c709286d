import Script from "next/script";
export const Analytics = ({ host }: { host: string }) => (
  <>
    <Script src={`https://${host}/x.js`} />
    <Script src="https://static.hotjar.com/c/hotjar-1.js?sv=6" />
  </>
);
