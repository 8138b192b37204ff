package ai.zmarty.http;

/** Where a {@link ChatExchange} is; each allowed move is listed here and nowhere else. */
enum ChatState {
  NEW, CLAIMING, TAKING_TURN, ASKING, STREAMING, SPEAKING, STORING, DONE;

  boolean canMoveTo(ChatState next) {
    return next == DONE ? this != DONE : switch (this) {
      case NEW -> next == CLAIMING;
      case CLAIMING -> next == TAKING_TURN;
      case TAKING_TURN -> next == ASKING;
      case ASKING -> next == STREAMING;
      case STREAMING -> next == SPEAKING || next == STORING;
      case SPEAKING -> next == STORING;
      case STORING, DONE -> false;
    };
  }

  /** Why an answer was stopped before its end. */
  enum Interruption { CLIENT_GONE, SHUTTING_DOWN }
}
