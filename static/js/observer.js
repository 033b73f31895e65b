// The observer's page: public state, results and messages, read-only.
import { Live, Messages, TurnReports, applyCommon, localiseNews, pageData, renderShared, setConnection, startClock } from "./common.js";

const data = pageData();
const messages = new Messages(data, { sendable: false });
const reports = new TurnReports(data, () => renderShared(data, null));

function onEvent(frame) {
  if (frame.type === "turn.resolved") reports.fetch(frame.data.number);
  if (applyCommon(data, frame, messages)) renderShared(data, null);
}

localiseNews();
renderShared(data, null);
startClock(() => data.game);
new Live(data.ws_path, data.game.last_seq, onEvent, setConnection).connect();
