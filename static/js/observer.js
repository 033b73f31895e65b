// The observer's page: public state, results and messages, read-only.
import { Live, Messages, applyCommon, pageData, renderShared, setConnection, startClock } from "./common.js";

const data = pageData();
const messages = new Messages(data, { sendable: false });

function onEvent(frame) {
  if (applyCommon(data, frame, messages)) renderShared(data, null);
}

renderShared(data, null);
startClock(() => data.game);
new Live(data.ws_path, data.game.last_seq, onEvent, setConnection).connect();
