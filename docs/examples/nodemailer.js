// The course's Nodemailer snippet, pointed at MailScope. Start the lesson first:
//
//   mailscope serve cross-domain --expose smtp.gmail.com:587=2587 --ca-out /tmp/scenario-ca.pem
//
// then run `node nodemailer.js` (npm install nodemailer). MAILSCOPE_PORT and MAILSCOPE_CA
// override the port and the CA file. The message crosses the simulated network: submission to
// smtp.gmail.com with STARTTLS and AUTH, an MX lookup for outlook.com, the relay, Alice's inbox.
const fs = require("fs");
const nodemailer = require("nodemailer");

const transporter = nodemailer.createTransport({
  host: "127.0.0.1",
  port: Number(process.env.MAILSCOPE_PORT || 2587),
  secure: false,      // port 587: plain first, then STARTTLS
  requireTLS: true,   // refuse to send the password without TLS
  tls: {
    servername: "smtp.gmail.com",  // the name the simulated server's certificate carries
    ca: fs.readFileSync(process.env.MAILSCOPE_CA || "/tmp/scenario-ca.pem"),
  },
  auth: { user: "bob@gmail.com", pass: "builder" },
});

transporter
  .sendMail({
    from: "bob@gmail.com",
    to: "alice@outlook.com",
    subject: "New Snippet",
    text: "Check out this code!",
  })
  .then((info) => {
    console.log(info.response);
  })
  .catch((error) => {
    console.error(error.message);
    process.exit(1);
  });
