import { error, notFound, ok, over, page, type Reply, tokenUser } from './github-replies.js';
import type { FakeComment, FakeRepository } from './github-repository.js';
import { documentedExample, type MatchedOperation, type RestRequest } from './github-rest.js';

/**
 * The fake GitHub API's answers about who is commenting and their comments: the authenticated user and a pull
 * request's issue comments (listed, created, updated). `newCommentId` numbers a created comment. Undefined
 * for any other operation.
 */
export function answerComments(
  repository: FakeRepository,
  matched: MatchedOperation,
  request: RestRequest,
  url: URL,
  newCommentId: () => number,
): Reply | undefined {
  const { params } = matched;
  const issueNumber = Number(params.issue_number);
  const body = request.body as { body?: string } | undefined;
  switch (matched.operationId) {
    case 'users/get-authenticated':
      return repository.viewer === undefined
        ? error(403, 'Resource not accessible by integration')
        : ok(over(documentedExample('users/get-authenticated'), { login: repository.viewer, type: 'User' }));
    case 'issues/list-comments': {
      const template = (documentedExample('issues/list-comments') as object[])[0]!;
      const comments = repository.comments
        .filter((comment) => comment.issueNumber === issueNumber)
        .map((comment) => issueComment(template, comment));
      return page(repository, url, comments);
    }
    case 'issues/create-comment': {
      const comment: FakeComment = {
        id: newCommentId(),
        issueNumber,
        body: body!.body!,
        user: tokenUser(repository),
      };
      repository.comments.push(comment);
      return {
        status: 201,
        body: issueComment(documentedExample(matched.operationId, '201'), comment),
      };
    }
    case 'issues/update-comment': {
      const comment = repository.comments.find((candidate) => candidate.id === Number(params.comment_id));
      if (!comment) return notFound();
      comment.body = body!.body!;
      return ok(issueComment(documentedExample(matched.operationId), comment));
    }
    default:
      return undefined;
  }
}

function issueComment(template: unknown, comment: FakeComment): unknown {
  const example = template as { user: object };
  return over(example, {
    id: comment.id,
    body: comment.body,
    user: comment.user === undefined || comment.user === null ? null : over(example.user, comment.user),
  });
}
