export function Tags({ host, id }) {
  return (<>
    <script src={`https://${host}/tag.js`} />
    <script src={`https://www.googletagmanager.com/gtag/js?id=${id}`} />
  </>);
}
