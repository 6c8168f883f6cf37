// The SMTP peer is shared with the benchmarks, which sign members up through the real flow too.
export { type ReceivedMail, SmtpPeer } from '../../bench/smtp-peer';
